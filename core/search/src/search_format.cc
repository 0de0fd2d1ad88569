// Encoding of the `terms` database records (core/FORMAT.md, "Search"). Decoding distrusts every length.
#include "search_format.h"

#include <cstring>

namespace kho::search_internal {
namespace {

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

bool get_varint(std::string_view& in, std::uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in.empty()) return false;
    auto byte = static_cast<std::uint8_t>(in.front());
    in.remove_prefix(1);
    v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

void put_str(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

bool get_str(std::string_view& in, std::string& s) {
  std::uint64_t n = 0;
  if (!get_varint(in, n) || n > in.size()) return false;
  s.assign(in.substr(0, static_cast<std::size_t>(n)));
  in.remove_prefix(static_cast<std::size_t>(n));
  return true;
}

void put_be32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

bool get_be32(std::string_view& in, std::uint32_t& v) {
  if (in.size() < 4) return false;
  v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<std::uint8_t>(in[static_cast<std::size_t>(i)]);
  in.remove_prefix(4);
  return true;
}

}  // namespace

std::string owner_key(char kind, std::string_view id) {
  std::string out;
  out.push_back(kind);
  id = id.substr(0, 255);
  out.push_back(static_cast<char>(static_cast<std::uint8_t>(id.size())));
  out.append(id);
  return out;
}

std::string doc_key(std::string_view owner, SearchField field, std::uint32_t sub) {
  std::string out;
  out.append(owner);
  out.push_back(static_cast<char>(field));
  put_be32(out, sub);
  return out;
}

std::string_view doc_owner(std::string_view doc) {
  if (doc.size() < 2) return {};
  const std::size_t n = 2 + static_cast<std::uint8_t>(doc[1]);
  return n <= doc.size() ? doc.substr(0, n) : std::string_view{};
}

SearchField doc_field(std::string_view doc) {
  const std::size_t n = doc_owner(doc).size();
  if (n == 0 || n >= doc.size()) return SearchField::kBody;
  const auto f = static_cast<std::uint8_t>(doc[n]);
  return f <= static_cast<std::uint8_t>(SearchField::kDetails) ? static_cast<SearchField>(f) : SearchField::kBody;
}

std::string posting_key(std::string_view word, std::string_view doc) {
  std::string out;
  out.reserve(2 + word.size() + doc.size());
  out.push_back(kPostingPrefix);
  out.append(word);
  out.push_back('\0');
  out.append(doc);
  return out;
}

std::string encode_doc(const DocRecord& doc) {
  std::string out;
  out.push_back(static_cast<char>(kDocRecordVersion));
  put_str(out, doc.event_id);
  put_str(out, doc.article_id);
  put_str(out, doc.article_title);
  out.push_back(doc.digest ? 1 : 0);
  if (doc.digest) out.append(doc.digest->view());
  out.push_back(doc.ref_index ? 1 : 0);
  if (doc.ref_index) put_be32(out, *doc.ref_index);
  out.push_back(doc.block ? 1 : 0);
  if (doc.block) put_be32(out, *doc.block);
  put_str(out, doc.text);
  return out;
}

Result<DocRecord> decode_doc(std::string_view in) {
  auto bad = [] { return Status::Corruption("terms: undecodable document record"); };
  if (in.empty() || static_cast<std::uint8_t>(in.front()) != kDocRecordVersion) return bad();
  in.remove_prefix(1);
  DocRecord doc;
  if (!get_str(in, doc.event_id) || !get_str(in, doc.article_id) || !get_str(in, doc.article_title)) return bad();
  if (in.empty()) return bad();
  char has_digest = in.front();
  in.remove_prefix(1);
  if (has_digest) {
    if (in.size() < 32) return bad();
    Digest d;
    std::memcpy(d.bytes.data(), in.data(), 32);
    in.remove_prefix(32);
    doc.digest = d;
  }
  if (in.empty()) return bad();
  char has_ref = in.front();
  in.remove_prefix(1);
  if (has_ref) {
    std::uint32_t r = 0;
    if (!get_be32(in, r)) return bad();
    doc.ref_index = r;
  }
  if (in.empty()) return bad();
  char has_block = in.front();
  in.remove_prefix(1);
  if (has_block) {
    std::uint32_t b = 0;
    if (!get_be32(in, b)) return bad();
    doc.block = b;
  }
  if (!get_str(in, doc.text) || !in.empty()) return bad();
  return doc;
}

std::string encode_positions(const std::vector<std::uint32_t>& positions) {
  std::string out;
  std::uint32_t prev = 0;
  for (std::uint32_t p : positions) {
    put_varint(out, p - prev);
    prev = p;
  }
  return out;
}

Result<std::vector<std::uint32_t>> decode_positions(std::string_view in) {
  std::vector<std::uint32_t> out;
  KHO_RETURN_IF_ERROR(decode_positions_into(in, out));
  return out;
}

Status decode_positions_into(std::string_view in, std::vector<std::uint32_t>& out) {
  out.clear();
  std::uint64_t acc = 0;
  while (!in.empty()) {
    std::uint64_t delta = 0;
    if (!get_varint(in, delta)) return Status::Corruption("terms: undecodable positions");
    acc += delta;
    if (acc > 0xffffffffu) return Status::Corruption("terms: position out of range");
    out.push_back(static_cast<std::uint32_t>(acc));
  }
  return Status::OK();
}

}  // namespace kho::search_internal
