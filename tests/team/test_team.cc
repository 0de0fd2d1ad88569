// kho::team: accounts, sessions and the corrections journal, on a real archive.
#include <gtest/gtest.h>

#include "core/team/src/team_format.h"
#include "kho/catalog.h"
#include "kho/team.h"
#include "test_support.h"

namespace kho {
namespace {

using testing::TempDir;

std::unique_ptr<Catalog> open_archive(const TempDir& dir) {
  auto cat = Catalog::open((dir / "archive").string());
  EXPECT_TRUE(cat.ok()) << cat.status().to_string();
  return cat.ok() ? std::move(*cat) : nullptr;
}

std::unique_ptr<Snapshot> snap(const Catalog& cat) {
  auto s = cat.snapshot();
  EXPECT_TRUE(s.ok());
  return std::move(*s);
}

TEST(TeamAccounts, PasswordsAreArgon2idWithTheirParametersInTheString) {
  auto h = hash_password("correct horse battery");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$v=19$m=", 0), 0u) << *h;
  EXPECT_NE(h->find(",t="), std::string::npos);
  EXPECT_NE(h->find(",p="), std::string::npos);
  EXPECT_TRUE(password_matches(*h, "correct horse battery"));
  EXPECT_FALSE(password_matches(*h, "correct horse batterY"));
  EXPECT_NE(*h, *hash_password("correct horse battery"));  // salted
  EXPECT_TRUE(hash_password("short").status().is_invalid_argument());
  EXPECT_FALSE(password_matches("not a hash", "anything"));
}

TEST(TeamAccounts, AddFindListChangeAndRemoveUsers) {
  TempDir dir;
  auto cat = open_archive(dir);
  EXPECT_FALSE(*has_users(*snap(*cat)));
  ASSERT_TRUE(add_user(*cat, "hien", Role::kEditor, "mật khẩu dài").ok());
  ASSERT_TRUE(add_user(*cat, "admin", Role::kAdmin, "another long one").ok());
  EXPECT_TRUE(add_user(*cat, "hien", Role::kViewer, "whatever123").is_invalid_argument());  // exists
  EXPECT_TRUE(add_user(*cat, "bad name", Role::kViewer, "whatever123").is_invalid_argument());
  EXPECT_TRUE(add_user(*cat, "-x", Role::kViewer, "whatever123").is_invalid_argument());
  EXPECT_TRUE(*has_users(*snap(*cat)));

  auto users = list_users(*snap(*cat));
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "admin");
  EXPECT_EQ((*users)[1].role, Role::kEditor);

  auto ok = check_password(*snap(*cat), "hien", "mật khẩu dài");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->name, "hien");
  // A wrong password and an unknown name give the same answer.
  auto wrong = check_password(*snap(*cat), "hien", "mật khẩu sai!");
  auto nobody = check_password(*snap(*cat), "nobody", "mật khẩu dài");
  EXPECT_TRUE(wrong.status().is_not_found());
  EXPECT_TRUE(nobody.status().is_not_found());
  EXPECT_EQ(wrong.status().message(), nobody.status().message());

  ASSERT_TRUE(set_password(*cat, "hien", "a brand new one").ok());
  EXPECT_FALSE(check_password(*snap(*cat), "hien", "mật khẩu dài").ok());
  EXPECT_TRUE(check_password(*snap(*cat), "hien", "a brand new one").ok());
  EXPECT_TRUE(set_password(*cat, "nobody", "a brand new one").is_not_found());

  ASSERT_TRUE(remove_user(*cat, "hien").ok());
  EXPECT_TRUE(find_user(*snap(*cat), "hien").status().is_not_found());
  EXPECT_TRUE(remove_user(*cat, "hien").is_not_found());
}

TEST(TeamSessions, ExpireEndAndDieWithTheirUserOrPassword) {
  TempDir dir;
  auto cat = open_archive(dir);
  ASSERT_TRUE(add_user(*cat, "hien", Role::kEditor, "long enough").ok());
  User u = *find_user(*snap(*cat), "hien");
  const std::int64_t t0 = 1'000'000;
  auto s = create_session(*cat, u, t0, std::chrono::seconds(60));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->token.size(), 64u);
  EXPECT_EQ(s->session.csrf_token.size(), 64u);
  EXPECT_NE(s->token, s->session.csrf_token);

  auto found = find_session(*snap(*cat), s->token, t0 + 59);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->user, "hien");
  EXPECT_EQ(found->role, Role::kEditor);
  EXPECT_EQ(found->csrf_token, s->session.csrf_token);
  EXPECT_TRUE(find_session(*snap(*cat), s->token, t0 + 60).status().is_not_found());  // expired
  EXPECT_TRUE(find_session(*snap(*cat), "", t0).status().is_not_found());
  EXPECT_TRUE(find_session(*snap(*cat), std::string(64, 'a'), t0).status().is_not_found());

  // The archive keeps only a hash of the token: the token's bytes appear in no key or value.
  bool leaked = false;
  ASSERT_TRUE(snap(*cat)
                  ->raw_scan(db::kSessions, "",
                             [&](std::string_view k, std::string_view v) {
                               leaked |= k.find(s->token) != std::string_view::npos ||
                                         v.find(s->token) != std::string_view::npos;
                               return ScanStep::Continue();
                             })
                  .ok());
  EXPECT_FALSE(leaked);

  ASSERT_TRUE(end_session(*cat, s->token).ok());  // logout
  EXPECT_TRUE(find_session(*snap(*cat), s->token, t0).status().is_not_found());

  auto s2 = create_session(*cat, u, t0);
  ASSERT_TRUE(set_password(*cat, "hien", "changed password").ok());  // ends every session of the user
  EXPECT_TRUE(find_session(*snap(*cat), s2->token, t0).status().is_not_found());
  auto s3 = create_session(*cat, u, t0);
  ASSERT_TRUE(remove_user(*cat, "hien").ok());
  EXPECT_TRUE(find_session(*snap(*cat), s3->token, t0).status().is_not_found());

  ASSERT_TRUE(add_user(*cat, "mai", Role::kViewer, "long enough").ok());
  User m = *find_user(*snap(*cat), "mai");
  ASSERT_TRUE(create_session(*cat, m, t0, std::chrono::seconds(10)).ok());
  ASSERT_TRUE(create_session(*cat, m, t0, std::chrono::seconds(1000)).ok());
  EXPECT_EQ(*purge_expired_sessions(*cat, t0 + 100), 1u);
}

TEST(TeamCorrections, JournalInForceRevertAndHistory) {
  TempDir dir;
  auto cat = open_archive(dir);
  Correction c;
  c.user = "hien";
  c.kind = TargetKind::kPhoto;
  c.target = std::string(64, 'a');
  c.field = "caption";
  c.old_value = "Ảnh máy đọc";
  c.new_value = "Đồng chí Lê Anh Xuân tiếp đoàn";
  auto first = record_correction(*cat, c);
  ASSERT_TRUE(first.ok());
  c.old_value = c.new_value;
  c.new_value = "Đồng chí Lê Anh Xuân tiếp đoàn công tác";
  auto second = record_correction(*cat, c);
  ASSERT_TRUE(second.ok());
  EXPECT_GT(*second, *first);
  Correction other = c;
  other.field = "credit";
  other.new_value = "Ảnh: Thu Hiền";
  ASSERT_TRUE(record_correction(*cat, other).ok());

  auto in_force = correction_in_force(*snap(*cat), TargetKind::kPhoto, c.target, "caption");
  ASSERT_TRUE(in_force.ok() && *in_force);
  EXPECT_EQ((*in_force)->new_value, "Đồng chí Lê Anh Xuân tiếp đoàn công tác");
  EXPECT_EQ((*in_force)->user, "hien");
  EXPECT_GT((*in_force)->time, 0);

  // Reverting the second puts back the first's value; reverting the first goes back to the machine.
  auto undo2 = revert_correction(*cat, *second, "admin");
  ASSERT_TRUE(undo2.ok());
  in_force = correction_in_force(*snap(*cat), TargetKind::kPhoto, c.target, "caption");
  EXPECT_EQ((*in_force)->new_value, "Đồng chí Lê Anh Xuân tiếp đoàn");
  EXPECT_EQ((*in_force)->reverts, *second);
  EXPECT_EQ((*in_force)->user, "admin");
  ASSERT_TRUE(revert_correction(*cat, *first, "admin").ok());
  in_force = correction_in_force(*snap(*cat), TargetKind::kPhoto, c.target, "caption");
  EXPECT_FALSE((*in_force)->new_value.has_value());
  EXPECT_TRUE(revert_correction(*cat, 12345, "admin").status().is_not_found());

  auto history = corrections_of(*snap(*cat), TargetKind::kPhoto, c.target);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 5u);  // oldest first
  EXPECT_EQ(history->front().seq, *first);
  auto latest = latest_corrections(*snap(*cat), 2);
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 2u);
  EXPECT_GT((*latest)[0].seq, (*latest)[1].seq);  // newest first
  EXPECT_EQ(latest_corrections(*snap(*cat), 100)->size(), 5u);
  EXPECT_TRUE(corrections_of(*snap(*cat), TargetKind::kEvent, c.target)->empty());

  Correction bad;
  EXPECT_TRUE(record_correction(*cat, bad).status().is_invalid_argument());
}

TEST(TeamCorrections, AFormsFieldsAreOneWriteAndTheNewestOfAFieldIsInForce) {
  TempDir dir;
  auto cat = open_archive(dir);
  std::vector<Correction> form;
  for (const char* field : {"caption", "credit", "headline"}) {
    Correction c;
    c.user = "hien";
    c.kind = TargetKind::kPhoto;
    c.target = std::string(64, 'b');
    c.field = field;
    c.new_value = std::string("mới: ") + field;
    form.push_back(c);
  }
  auto seqs = record_corrections(*cat, form);
  ASSERT_TRUE(seqs.ok()) << seqs.status().to_string();
  ASSERT_EQ(seqs->size(), 3u);
  EXPECT_LT((*seqs)[0], (*seqs)[1]);
  EXPECT_LT((*seqs)[1], (*seqs)[2]);
  // All or none: one bad entry and nothing of the form is written.
  form[2].user.clear();
  EXPECT_TRUE(record_corrections(*cat, form).status().is_invalid_argument());
  EXPECT_EQ(corrections_of(*snap(*cat), TargetKind::kPhoto, form[0].target)->size(), 3u);
  // Many later caption fixes: the one in force is the newest of its field, and the other fields keep theirs.
  for (int i = 0; i < 50; ++i) {
    Correction c = form[0];
    c.new_value = "lần " + std::to_string(i);
    ASSERT_TRUE(record_correction(*cat, c).ok());
  }
  auto s = snap(*cat);
  EXPECT_EQ((*correction_in_force(*s, TargetKind::kPhoto, form[0].target, "caption"))->new_value, "lần 49");
  EXPECT_EQ((*correction_in_force(*s, TargetKind::kPhoto, form[0].target, "credit"))->new_value, "mới: credit");
  EXPECT_FALSE(*correction_in_force(*s, TargetKind::kPhoto, form[0].target, "date"));
}

TEST(TeamVerify, FindsDamagedValuesAndAJournalOutOfStep) {
  TempDir dir;
  auto cat = open_archive(dir);
  ASSERT_TRUE(add_user(*cat, "hien", Role::kEditor, "long enough").ok());
  Correction c;
  c.user = "hien";
  c.target = std::string(64, 'b');
  c.field = "caption";
  c.new_value = "x";
  auto seq = record_correction(*cat, c);
  ASSERT_TRUE(seq.ok());
  VerifyReport clean;
  ASSERT_TRUE(verify_team(*snap(*cat), clean).ok());
  EXPECT_TRUE(clean.problems.empty());
  EXPECT_EQ(clean.records_checked, 2u);

  WriteBatch damage;
  damage.raw_put(db::kUsers, teamfmt::user_key("mai"), "not sealed");                // a damaged value
  damage.raw_delete(db::kCorrections, teamfmt::target_key(c.kind, c.target, *seq));  // an entry without index
  ASSERT_TRUE(cat->write(damage).ok());
  VerifyReport r;
  ASSERT_TRUE(verify_team(*snap(*cat), r).ok());
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_NE(r.problems[0].find("users"), std::string::npos) << r.problems[0];
  EXPECT_NE(r.problems[1].find("no index entry"), std::string::npos) << r.problems[1];
}

TEST(TeamFormat, DamagedValuesAreCorruption) {
  TempDir dir;
  auto cat = open_archive(dir);
  ASSERT_TRUE(add_user(*cat, "hien", Role::kEditor, "long enough").ok());
  std::string value(*snap(*cat)->raw_get(db::kUsers, teamfmt::user_key("hien")));
  for (std::size_t i = 0; i < value.size(); i += 7) {
    std::string damaged = value;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x20);
    User u;
    EXPECT_TRUE(teamfmt::decode(damaged, &u).is_corruption()) << i;
  }
  EXPECT_EQ(pair_target(Digest{}, Digest{}).size(), 129u);
}

}  // namespace
}  // namespace kho
