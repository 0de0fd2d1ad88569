// IPTC IIM length limits and the cut that respects them (kho/ingest/export.h).
#include <array>

#include "kho/ingest/export.h"
#include "kho/text.h"

namespace kho::ingest {
namespace {

// IIM 4.2 (IPTC, 1999) maximum octets of each text dataset, as the IPTC Photo Metadata Standard lists
// them. Record 1 is the envelope (1:90 holds the character set), record 2 the application record.
constexpr std::array<IimLimit, 42> kLimits{{
    {1, 90, 32, "CodedCharacterSet"},
    {2, 5, 64, "ObjectName"},
    {2, 7, 64, "EditStatus"},
    {2, 10, 1, "Urgency"},
    {2, 12, 67, "SubjectReference"},
    {2, 15, 3, "Category"},
    {2, 20, 32, "SupplementalCategories"},
    {2, 22, 32, "FixtureIdentifier"},
    {2, 25, 64, "Keywords"},
    {2, 26, 3, "ContentLocationCode"},
    {2, 27, 64, "ContentLocationName"},
    {2, 30, 8, "ReleaseDate"},
    {2, 35, 11, "ReleaseTime"},
    {2, 37, 8, "ExpirationDate"},
    {2, 38, 11, "ExpirationTime"},
    {2, 40, 256, "SpecialInstructions"},
    {2, 45, 2, "ActionAdvised"},
    {2, 47, 10, "ReferenceService"},
    {2, 50, 8, "ReferenceDate"},
    {2, 55, 8, "DateCreated"},
    {2, 60, 11, "TimeCreated"},
    {2, 62, 8, "DigitalCreationDate"},
    {2, 63, 11, "DigitalCreationTime"},
    {2, 65, 32, "OriginatingProgram"},
    {2, 70, 10, "ProgramVersion"},
    {2, 75, 1, "ObjectCycle"},
    {2, 80, 32, "By-line"},
    {2, 85, 32, "By-lineTitle"},
    {2, 90, 32, "City"},
    {2, 92, 32, "Sub-location"},
    {2, 95, 32, "Province-State"},
    {2, 100, 3, "Country-PrimaryLocationCode"},
    {2, 101, 64, "Country-PrimaryLocationName"},
    {2, 103, 32, "OriginalTransmissionReference"},
    {2, 105, 256, "Headline"},
    {2, 110, 32, "Credit"},
    {2, 115, 32, "Source"},
    {2, 116, 128, "CopyrightNotice"},
    {2, 118, 128, "Contact"},
    {2, 120, 2000, "Caption-Abstract"},
    {2, 122, 32, "Writer-Editor"},
    {2, 135, 3, "LanguageIdentifier"},
}};

}  // namespace

std::span<const IimLimit> iim_limits() { return kLimits; }

std::optional<std::size_t> iim_max_bytes(int record, int dataset) {
  for (const IimLimit& l : kLimits)
    if (l.record == record && l.dataset == dataset) return l.max_bytes;
  return std::nullopt;
}

std::string iim_cut(std::string_view text, std::size_t max_bytes) {
  std::string s = to_nfc(text);
  if (s.size() <= max_bytes) return s;
  // The last code point boundary at or before max_bytes.
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  // A combining mark right after the cut belongs to the letter before it: drop the letter as well
  // (with any marks already kept on it), so no base letter loses its tone or vowel mark.
  auto starts_mark = [&](std::size_t at) {
    std::uint32_t cp = 0;
    return next_code_point(s, at, &cp) > 0 && char_class(cp) == CharClass::kMark;
  };
  if (starts_mark(cut)) {
    while (cut > 0) {
      std::size_t prev = cut - 1;
      while (prev > 0 && (static_cast<unsigned char>(s[prev]) & 0xC0) == 0x80) --prev;
      cut = prev;
      if (!starts_mark(cut)) break;  // `cut` is now at the base letter: it goes too
    }
  }
  s.resize(cut);
  return s;
}

}  // namespace kho::ingest
