#include "record_codec.h"

#include <bit>
#include <cstring>
#include <limits>
#include <memory>
#include <new>

#include "crc32c.h"
#include "wire.h"

namespace kho::codec {
namespace {

constexpr std::uint8_t kCodecVersion = 1;

std::string seal(RecordType type, const wire::Writer& w) {
  std::string out;
  out.reserve(w.data().size() + 6);
  out.push_back(static_cast<char>(type));
  out.push_back(static_cast<char>(kCodecVersion));
  out.append(w.data());
  std::uint32_t crc = crc32c(out.data(), out.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
  return out;
}

// Checks header and checksum; on success `payload` holds the fields.
Status unseal(std::string_view bytes, RecordType type, std::string_view* payload) {
  if (bytes.size() < 6) return Status::Corruption("record too short (" + std::to_string(bytes.size()) + " bytes)");
  std::uint32_t stored = 0;
  for (int i = 0; i < 4; ++i)
    stored |= std::uint32_t{static_cast<std::uint8_t>(bytes[bytes.size() - 4 + i])} << (8 * i);
  std::uint32_t crc = crc32c(bytes.data(), bytes.size() - 4);
  if (crc != stored) return Status::Corruption("record checksum mismatch");
  if (static_cast<std::uint8_t>(bytes[0]) != static_cast<std::uint8_t>(type))
    return Status::Corruption("record of type " + std::to_string(static_cast<int>(bytes[0])) + " where type " +
                              std::to_string(static_cast<int>(type)) + " was expected");
  if (static_cast<std::uint8_t>(bytes[1]) != kCodecVersion)
    return Status::Corruption("unknown record codec version " + std::to_string(static_cast<int>(bytes[1])));
  *payload = bytes.substr(2, bytes.size() - 6);
  return Status::OK();
}

// Field decoding helpers: a known field with the wrong wire type is corruption. The check runs for every
// field of every record read, so the OK path is inline and the message is built out of line.
[[gnu::noinline, gnu::cold]] Status wrong_type(const wire::Field& f) {
  return Status::Corruption("field " + std::to_string(f.number) + " has wire type " + std::to_string(f.type));
}
inline Status want(const wire::Field& f, wire::WireType t) {
  if (f.type == t) [[likely]]
    return Status::OK();
  return wrong_type(f);
}
Status get_string(const wire::Field& f, std::string* out) {
  KHO_RETURN_IF_ERROR(want(f, wire::kBytes));
  out->assign(f.bytes);
  return Status::OK();
}
Status get_opt_string(const wire::Field& f, std::optional<std::string>* out) {
  KHO_RETURN_IF_ERROR(want(f, wire::kBytes));
  out->emplace(f.bytes);
  return Status::OK();
}
Status push_string(const wire::Field& f, std::vector<std::string>* out) {
  KHO_RETURN_IF_ERROR(want(f, wire::kBytes));
  out->emplace_back(f.bytes);
  return Status::OK();
}
Status get_digest(const wire::Field& f, Digest* out) {
  KHO_RETURN_IF_ERROR(want(f, wire::kBytes));
  if (f.bytes.size() != 32) return Status::Corruption("digest of " + std::to_string(f.bytes.size()) + " bytes");
  std::memcpy(out->bytes.data(), f.bytes.data(), 32);
  return Status::OK();
}
template <typename T>
Status get_uint(const wire::Field& f, T* out) {
  KHO_RETURN_IF_ERROR(want(f, wire::kVarint));
  if (f.num > static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
    return Status::Corruption("field " + std::to_string(f.number) + " out of range");
  *out = static_cast<T>(f.num);
  return Status::OK();
}
Status get_sint(const wire::Field& f, std::int64_t* out) {
  KHO_RETURN_IF_ERROR(want(f, wire::kVarint));
  *out = f.as_sint();
  return Status::OK();
}
Status get_opt_sint(const wire::Field& f, std::optional<std::int64_t>* out) {
  std::int64_t v;
  KHO_RETURN_IF_ERROR(get_sint(f, &v));
  *out = v;
  return Status::OK();
}
Status get_opt_f64(const wire::Field& f, std::optional<double>* out) {
  KHO_RETURN_IF_ERROR(want(f, wire::kFixed64));
  *out = f.as_f64();
  return Status::OK();
}

// Empties a record before decoding into it. Destroying and default-initialising in place (no `T{}`)
// skips zero-filling the whole struct and the move-assignment of a temporary: together they were a
// third of a photo record's decode time.
template <typename T>
void reset(T* out) {
  std::destroy_at(out);
  ::new (static_cast<void*>(out)) T;
}

// Runs `on_field` for each field of `payload`; unknown fields are the callback's to ignore.
template <typename Fn>
Status for_fields(std::string_view payload, Fn&& on_field) {
  wire::Reader r(payload);
  wire::Field f;
  while (r.next(&f)) KHO_RETURN_IF_ERROR(on_field(f));
  if (r.error()) return Status::Corruption("malformed field");
  return Status::OK();
}

// ---- Metadata and signatures (nested messages) ----

std::string encode_metadata(const Metadata& m) {
  wire::Writer w;
  w.opt_bytes(1, m.format);
  w.opt_sint(2, m.width);
  w.opt_sint(3, m.height);
  if (m.orientation) w.sint(4, *m.orientation);
  w.opt_bytes(5, m.make);
  w.opt_bytes(6, m.model);
  w.opt_bytes(7, m.lens);
  w.opt_bytes(8, m.datetime_original);
  w.opt_f64(9, m.exposure_time);
  w.opt_f64(10, m.f_number);
  w.opt_sint(11, m.iso);
  w.opt_f64(12, m.focal_length);
  w.opt_f64(13, m.gps_lat);
  w.opt_f64(14, m.gps_lon);
  w.opt_f64(15, m.gps_alt);
  w.opt_bytes(16, m.description);
  w.opt_bytes(17, m.headline);
  w.repeated(18, m.keywords);
  w.opt_bytes(19, m.creator);
  w.opt_bytes(20, m.credit);
  w.opt_bytes(21, m.event);
  w.repeated(22, m.warnings);
  w.opt_sint(23, m.flash);
  w.opt_sint(24, m.exposure_program);
  w.opt_sint(25, m.metering_mode);
  w.opt_sint(26, m.white_balance);
  w.opt_f64(27, m.exposure_bias);
  return w.data();
}

Status decode_metadata(std::string_view payload, Metadata* m) {
  reset(m);
  return for_fields(payload, [&](const wire::Field& f) -> Status {
    switch (f.number) {
      case 1: return get_opt_string(f, &m->format);
      case 2: return get_opt_sint(f, &m->width);
      case 3: return get_opt_sint(f, &m->height);
      case 4: {
        std::int64_t v;
        KHO_RETURN_IF_ERROR(get_sint(f, &v));
        if (v < 0 || v > 65535) return Status::Corruption("orientation out of range");
        m->orientation = static_cast<int>(v);
        return Status::OK();
      }
      case 5: return get_opt_string(f, &m->make);
      case 6: return get_opt_string(f, &m->model);
      case 7: return get_opt_string(f, &m->lens);
      case 8: return get_opt_string(f, &m->datetime_original);
      case 9: return get_opt_f64(f, &m->exposure_time);
      case 10: return get_opt_f64(f, &m->f_number);
      case 11: return get_opt_sint(f, &m->iso);
      case 12: return get_opt_f64(f, &m->focal_length);
      case 13: return get_opt_f64(f, &m->gps_lat);
      case 14: return get_opt_f64(f, &m->gps_lon);
      case 15: return get_opt_f64(f, &m->gps_alt);
      case 16: return get_opt_string(f, &m->description);
      case 17: return get_opt_string(f, &m->headline);
      case 18: return push_string(f, &m->keywords);
      case 19: return get_opt_string(f, &m->creator);
      case 20: return get_opt_string(f, &m->credit);
      case 21: return get_opt_string(f, &m->event);
      case 22: return push_string(f, &m->warnings);
      case 23: return get_opt_sint(f, &m->flash);
      case 24: return get_opt_sint(f, &m->exposure_program);
      case 25: return get_opt_sint(f, &m->metering_mode);
      case 26: return get_opt_sint(f, &m->white_balance);
      case 27: return get_opt_f64(f, &m->exposure_bias);
      default: return Status::OK();
    }
  });
}

std::string encode_signatures(const Signatures& s) {
  wire::Writer w;
  w.fixed64(1, s.phash);
  if (!s.block_mean.empty())
    w.bytes(2, {reinterpret_cast<const char*>(s.block_mean.data()), s.block_mean.size()});
  if (!s.color_moment.empty()) {
    std::string packed(s.color_moment.size() * 4, '\0');
    for (size_t i = 0; i < s.color_moment.size(); ++i) {
      std::uint32_t bits;
      std::memcpy(&bits, &s.color_moment[i], 4);
      for (int b = 0; b < 4; ++b) packed[4 * i + b] = static_cast<char>((bits >> (8 * b)) & 0xff);
    }
    w.bytes(3, packed);
  }
  return w.data();
}

Status decode_signatures(std::string_view payload, Signatures* s) {
  reset(s);
  return for_fields(payload, [&](const wire::Field& f) -> Status {
    switch (f.number) {
      case 1:
        KHO_RETURN_IF_ERROR(want(f, wire::kFixed64));
        s->phash = f.num;
        return Status::OK();
      case 2:
        KHO_RETURN_IF_ERROR(want(f, wire::kBytes));
        s->block_mean.assign(f.bytes.begin(), f.bytes.end());
        return Status::OK();
      case 3: {
        KHO_RETURN_IF_ERROR(want(f, wire::kBytes));
        if (f.bytes.size() % 4) return Status::Corruption("color moment hash length not a multiple of 4");
        s->color_moment.resize(f.bytes.size() / 4);
        if constexpr (std::endian::native == std::endian::little) {
          std::memcpy(s->color_moment.data(), f.bytes.data(), f.bytes.size());  // stored little-endian
        } else {
          for (size_t i = 0; i < s->color_moment.size(); ++i) {
            std::uint32_t bits = 0;
            for (int b = 0; b < 4; ++b)
              bits |= std::uint32_t{static_cast<std::uint8_t>(f.bytes[4 * i + b])} << (8 * b);
            std::memcpy(&s->color_moment[i], &bits, 4);
          }
        }
        return Status::OK();
      }
      default: return Status::OK();
    }
  });
}

}  // namespace

void append_be32(std::string* out, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

bool read_be32(std::string_view in, std::uint32_t* v) {
  if (in.size() < 4) return false;
  *v = 0;
  for (int i = 0; i < 4; ++i) *v = (*v << 8) | static_cast<std::uint8_t>(in[i]);
  return true;
}

// ---- Photo ----
std::string encode(const Photo& p) {
  wire::Writer w;
  w.bytes(1, p.digest.view());
  w.varint(2, p.size);
  w.varint(3, p.width);
  w.varint(4, p.height);
  w.bytes(5, encode_metadata(p.meta));
  if (p.has_signatures) w.bytes(6, encode_signatures(p.sig));
  w.varint(7, p.has_signatures);
  w.varint(8, p.has_thumbs);
  w.sint(9, p.added_at);
  w.bytes(10, p.first_path);
  if (p.has_mid_thumb) w.varint(11, 1);
  return seal(RecordType::kPhoto, w);
}

Status decode(std::string_view bytes, Photo* p) {
  std::string_view payload;
  KHO_RETURN_IF_ERROR(unseal(bytes, RecordType::kPhoto, &payload));
  reset(p);
  bool has_digest = false;
  KHO_RETURN_IF_ERROR(for_fields(payload, [&](const wire::Field& f) -> Status {
    switch (f.number) {
      case 1: has_digest = true; return get_digest(f, &p->digest);
      case 2: return get_uint(f, &p->size);
      case 3: return get_uint(f, &p->width);
      case 4: return get_uint(f, &p->height);
      case 5: KHO_RETURN_IF_ERROR(want(f, wire::kBytes)); return decode_metadata(f.bytes, &p->meta);
      case 6: KHO_RETURN_IF_ERROR(want(f, wire::kBytes)); return decode_signatures(f.bytes, &p->sig);
      case 7: return get_uint(f, &p->has_signatures);
      case 8: return get_uint(f, &p->has_thumbs);
      case 9: return get_sint(f, &p->added_at);
      case 10: return get_string(f, &p->first_path);
      case 11: return get_uint(f, &p->has_mid_thumb);
      default: return Status::OK();
    }
  }));
  if (!has_digest) return Status::Corruption("photo record without digest");
  return Status::OK();
}

// ---- File ----
std::string encode(const File& file) {
  wire::Writer w;
  w.bytes(1, file.path);
  w.bytes(2, file.digest.view());
  w.varint(3, file.size);
  w.sint(4, file.mtime_ns);
  w.bytes(5, file.event_id);
  return seal(RecordType::kFile, w);
}

Status decode(std::string_view bytes, File* file) {
  std::string_view payload;
  KHO_RETURN_IF_ERROR(unseal(bytes, RecordType::kFile, &payload));
  reset(file);
  bool has_digest = false;
  KHO_RETURN_IF_ERROR(for_fields(payload, [&](const wire::Field& f) -> Status {
    switch (f.number) {
      case 1: return get_string(f, &file->path);
      case 2: has_digest = true; return get_digest(f, &file->digest);
      case 3: return get_uint(f, &file->size);
      case 4: return get_sint(f, &file->mtime_ns);
      case 5: return get_string(f, &file->event_id);
      default: return Status::OK();
    }
  }));
  if (!has_digest) return Status::Corruption("file record without digest");
  return Status::OK();
}

// ---- Event ----
std::string encode(const Event& e) {
  wire::Writer w;
  w.bytes(1, e.id);
  w.bytes(2, e.folder);
  w.bytes(3, e.title);
  w.opt_bytes(4, e.date);
  w.repeated(5, e.article_ids);
  if (e.cover) w.bytes(6, e.cover->view());
  w.varint(7, e.photo_count);
  return seal(RecordType::kEvent, w);
}

Status decode(std::string_view bytes, Event* e) {
  std::string_view payload;
  KHO_RETURN_IF_ERROR(unseal(bytes, RecordType::kEvent, &payload));
  reset(e);
  return for_fields(payload, [&](const wire::Field& f) -> Status {
    switch (f.number) {
      case 1: return get_string(f, &e->id);
      case 2: return get_string(f, &e->folder);
      case 3: return get_string(f, &e->title);
      case 4: return get_opt_string(f, &e->date);
      case 5: return push_string(f, &e->article_ids);
      case 6: e->cover.emplace(); return get_digest(f, &*e->cover);
      case 7: return get_uint(f, &e->photo_count);
      default: return Status::OK();
    }
  });
}

// ---- Article ----
std::string encode(const Article& a) {
  wire::Writer w;
  w.bytes(1, a.id);
  w.bytes(2, a.title);
  w.opt_bytes(3, a.date);
  w.opt_bytes(4, a.author);
  for (const auto& b : a.blocks) {
    wire::Writer bw;
    bw.varint(1, static_cast<std::uint8_t>(b.kind));
    if (!b.text.empty()) bw.bytes(2, b.text);
    bw.varint(3, b.ref_index);
    w.bytes(5, bw.data());
  }
  for (const auto& r : a.refs) {
    wire::Writer rw;
    rw.bytes(1, r.ref);
    rw.opt_bytes(2, r.caption);
    rw.opt_bytes(3, r.group_caption);
    rw.opt_bytes(4, r.credit);
    if (r.caption_weak) rw.varint(5, 1);
    w.bytes(6, rw.data());
  }
  w.repeated(7, a.sources);
  w.varint(8, a.copies);
  w.bytes(9, a.event_id);
  return seal(RecordType::kArticle, w);
}

Status decode(std::string_view bytes, Article* a) {
  std::string_view payload;
  KHO_RETURN_IF_ERROR(unseal(bytes, RecordType::kArticle, &payload));
  reset(a);
  a->copies = 0;
  KHO_RETURN_IF_ERROR(for_fields(payload, [&](const wire::Field& f) -> Status {
    switch (f.number) {
      case 1: return get_string(f, &a->id);
      case 2: return get_string(f, &a->title);
      case 3: return get_opt_string(f, &a->date);
      case 4: return get_opt_string(f, &a->author);
      case 5: {
        KHO_RETURN_IF_ERROR(want(f, wire::kBytes));
        ArticleBlock b;
        KHO_RETURN_IF_ERROR(for_fields(f.bytes, [&](const wire::Field& g) -> Status {
          switch (g.number) {
            case 1: {
              std::uint8_t k;
              KHO_RETURN_IF_ERROR(get_uint(g, &k));
              if (k > 2) return Status::Corruption("unknown article block kind");
              b.kind = static_cast<ArticleBlock::Kind>(k);
              return Status::OK();
            }
            case 2: return get_string(g, &b.text);
            case 3: return get_uint(g, &b.ref_index);
            default: return Status::OK();
          }
        }));
        a->blocks.push_back(std::move(b));
        return Status::OK();
      }
      case 6: {
        KHO_RETURN_IF_ERROR(want(f, wire::kBytes));
        PhotoRef r;
        KHO_RETURN_IF_ERROR(for_fields(f.bytes, [&](const wire::Field& g) -> Status {
          switch (g.number) {
            case 1: return get_string(g, &r.ref);
            case 2: return get_opt_string(g, &r.caption);
            case 3: return get_opt_string(g, &r.group_caption);
            case 4: return get_opt_string(g, &r.credit);
            case 5: {
              std::uint8_t weak = 0;
              KHO_RETURN_IF_ERROR(get_uint(g, &weak));
              r.caption_weak = weak != 0;
              return Status::OK();
            }
            default: return Status::OK();
          }
        }));
        a->refs.push_back(std::move(r));
        return Status::OK();
      }
      case 7: return push_string(f, &a->sources);
      case 8: return get_uint(f, &a->copies);
      case 9: return get_string(f, &a->event_id);
      default: return Status::OK();
    }
  }));
  for (const auto& b : a->blocks)
    if (b.kind == ArticleBlock::Kind::kPhoto && b.ref_index >= a->refs.size())
      return Status::Corruption("article block points past its photo references");
  return Status::OK();
}

// ---- Link ----
std::string encode(const Link& l) {
  wire::Writer w;
  w.bytes(1, l.article_id);
  w.varint(2, l.position);
  if (l.digest) w.bytes(3, l.digest->view());
  w.bytes(4, l.path);
  w.bytes(5, l.ref);
  w.opt_bytes(6, l.caption);
  w.opt_bytes(7, l.group_caption);
  w.varint(8, static_cast<std::uint8_t>(l.method));
  w.f32(9, l.confidence);
  for (const auto& m : l.near_misses) {
    wire::Writer mw;
    mw.bytes(1, m.path);
    if (m.digest) mw.bytes(2, m.digest->view());
    mw.varint(3, static_cast<std::uint8_t>(m.method));
    mw.varint(4, m.distance);
    mw.varint(5, static_cast<std::uint8_t>(m.reason));
    if (m.reason == NearMissReason::kTaken) mw.varint(6, m.taken_by);
    w.bytes(10, mw.data());
  }
  return seal(RecordType::kLink, w);
}

Status decode(std::string_view bytes, Link* l) {
  std::string_view payload;
  KHO_RETURN_IF_ERROR(unseal(bytes, RecordType::kLink, &payload));
  reset(l);
  return for_fields(payload, [&](const wire::Field& f) -> Status {
    switch (f.number) {
      case 1: return get_string(f, &l->article_id);
      case 2: return get_uint(f, &l->position);
      case 3: l->digest.emplace(); return get_digest(f, &*l->digest);
      case 4: return get_string(f, &l->path);
      case 5: return get_string(f, &l->ref);
      case 6: return get_opt_string(f, &l->caption);
      case 7: return get_opt_string(f, &l->group_caption);
      case 8: {
        std::uint8_t m;
        KHO_RETURN_IF_ERROR(get_uint(f, &m));
        if (m > static_cast<std::uint8_t>(LinkMethod::kEmbedded)) return Status::Corruption("unknown link method");
        l->method = static_cast<LinkMethod>(m);
        return Status::OK();
      }
      case 9:
        KHO_RETURN_IF_ERROR(want(f, wire::kFixed32));
        l->confidence = f.as_f32();
        return Status::OK();
      case 10: {
        KHO_RETURN_IF_ERROR(want(f, wire::kBytes));
        NearMiss m;
        KHO_RETURN_IF_ERROR(for_fields(f.bytes, [&](const wire::Field& g) -> Status {
          switch (g.number) {
            case 1: return get_string(g, &m.path);
            case 2: m.digest.emplace(); return get_digest(g, &*m.digest);
            case 3: {
              std::uint8_t v;
              KHO_RETURN_IF_ERROR(get_uint(g, &v));
              if (v > static_cast<std::uint8_t>(LinkMethod::kEmbedded))
                return Status::Corruption("unknown near-miss method");
              m.method = static_cast<LinkMethod>(v);
              return Status::OK();
            }
            case 4: return get_uint(g, &m.distance);
            case 5: {
              std::uint8_t v;
              KHO_RETURN_IF_ERROR(get_uint(g, &v));
              if (v > static_cast<std::uint8_t>(NearMissReason::kNotChosen))
                return Status::Corruption("unknown near-miss reason");
              m.reason = static_cast<NearMissReason>(v);
              return Status::OK();
            }
            case 6: return get_uint(g, &m.taken_by);
            default: return Status::OK();
          }
        }));
        l->near_misses.push_back(std::move(m));
        return Status::OK();
      }
      default: return Status::OK();
    }
  });
}

}  // namespace kho::codec
