// Fuzz target: kho's XMP packet reader (ingest/src/metadata_xmp*.cc) with its bounds against hostile packets,
// and the fields ingest derives from what it read.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ingest/src/metadata_internal.h"
#include "tests/fuzz/fuzz_check.h"

namespace d = kho::ingest::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  d::XmpProps props;
  std::vector<std::string> warnings;
  const bool ok = d::parse_xmp_packet(kho::fuzz::as_text(data, size), &props, &warnings);
  if (!ok) FUZZ_CHECK(!warnings.empty());
  (void)d::xmp_text(props, "Xmp.dc.description");
  (void)d::xmp_list(props, "Xmp.dc.subject");
  d::ExifFields fields = d::xmp_exif_fields(props);
  kho::Metadata meta;
  d::apply_exif_fields(fields, &meta);
  return 0;
}
