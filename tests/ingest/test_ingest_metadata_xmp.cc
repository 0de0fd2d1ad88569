// kho's own XMP reader (ingest/src/metadata_xmp.cc): the three shapes properties take, namespaces
// by URI, escapes, UTF-16 packets, and damaged packets.
#include <gtest/gtest.h>

#include "ingest/src/metadata_internal.h"

namespace kho::ingest::detail {
namespace {

XmpProps parse(std::string_view xml, bool expect_ok = true) {
  XmpProps props;
  std::vector<std::string> warnings;
  EXPECT_EQ(parse_xmp_packet(xml, &props, &warnings), expect_ok) << xml;
  EXPECT_EQ(warnings.empty(), expect_ok);
  return props;
}

using Items = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kHead =
    "<?xpacket begin='\xEF\xBB\xBF' id='W5M0MpCehiHzreSzNTczkc9d'?>"
    "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>";
constexpr std::string_view kTail = "</rdf:RDF></x:xmpmeta><?xpacket end='w'?>";

std::string packet(std::string_view body) { return std::string(kHead) + std::string(body) + std::string(kTail); }

TEST(XmpReader, AttributesElementsAndArrays) {
  auto p = parse(packet(
      "<rdf:Description rdf:about='' xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'"
      " xmlns:dc='http://purl.org/dc/elements/1.1/' photoshop:Credit='TTXVN &amp; AP'>"
      "<photoshop:Headline>Tiêu đề &lt;1&gt;</photoshop:Headline>"
      "<dc:description><rdf:Alt><rdf:li xml:lang='vi'>Mô tả</rdf:li>"
      "<rdf:li xml:lang='x-default'>Default</rdf:li></rdf:Alt></dc:description>"
      "<dc:subject><rdf:Bag><rdf:li>một</rdf:li><rdf:li>hai</rdf:li></rdf:Bag></dc:subject>"
      "</rdf:Description>"));
  EXPECT_EQ(p.values["Xmp.photoshop.Credit"], (Items{{"", "TTXVN & AP"}}));
  EXPECT_EQ(p.values["Xmp.photoshop.Headline"], (Items{{"", "Tiêu đề <1>"}}));
  EXPECT_EQ(p.values["Xmp.dc.description"], (Items{{"vi", "Mô tả"}, {"x-default", "Default"}}));
  EXPECT_EQ(p.values["Xmp.dc.subject"], (Items{{"", "một"}, {"", "hai"}}));
}

TEST(XmpReader, NamespacesAreMatchedByUriNotPrefix) {
  auto p = parse(packet(
      "<rdf:Description xmlns:foo='http://iptc.org/std/Iptc4xmpExt/2008-02-29/' xmlns:bar='http://example.com/'>"
      "<foo:Event><rdf:Alt><rdf:li xml:lang='x-default'>SEA Games</rdf:li></rdf:Alt></foo:Event>"
      "<bar:Event>not ours</bar:Event></rdf:Description>"));
  EXPECT_EQ(p.values["Xmp.iptcExt.Event"], (Items{{"x-default", "SEA Games"}}));
  EXPECT_EQ(p.values.size(), 1u);
}

TEST(XmpReader, StructFieldsDoNotLeakAsTopLevelProperties) {
  auto p = parse(packet(
      "<rdf:Description xmlns:dc='http://purl.org/dc/elements/1.1/'"
      " xmlns:Iptc4xmpExt='http://iptc.org/std/Iptc4xmpExt/2008-02-29/'>"
      "<Iptc4xmpExt:LocationShown><rdf:Bag><rdf:li rdf:parseType='Resource'>"
      "<dc:description>inner</dc:description></rdf:li></rdf:Bag></Iptc4xmpExt:LocationShown>"
      "<dc:description><rdf:Alt><rdf:li xml:lang='x-default'>outer</rdf:li></rdf:Alt></dc:description>"
      "</rdf:Description>"));
  EXPECT_EQ(p.values["Xmp.dc.description"], (Items{{"x-default", "outer"}}));
}

TEST(XmpReader, CdataAndNumericReferences) {
  auto p = parse(packet(
      "<rdf:Description xmlns:dc='http://purl.org/dc/elements/1.1/' xmlns:exif='http://ns.adobe.com/exif/1.0/'>"
      "<dc:title><![CDATA[a < b & c]]></dc:title><exif:GPSLatitude>21,1.5N</exif:GPSLatitude>"
      "<dc:rights>&#272;&#x1EA1;i</dc:rights></rdf:Description>"));
  EXPECT_EQ(p.values["Xmp.dc.title"], (Items{{"", "a < b & c"}}));
  EXPECT_EQ(p.values["Xmp.exif.GPSLatitude"], (Items{{"", "21,1.5N"}}));
  EXPECT_EQ(p.values["Xmp.dc.rights"], (Items{{"", "Đại"}}));
}

TEST(XmpReader, Utf16Packet) {
  std::string utf8 = packet("<rdf:Description xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'"
                            " photoshop:Headline='Hà Nội'/>");
  // Re-encode as UTF-16BE without a BOM, as ExifTool.jpg in the shared corpus does.
  std::u16string u16;
  for (std::size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    char32_t cp;
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    i += n;
    u16 += static_cast<char16_t>(cp);
  }
  std::string be;
  for (char16_t u : u16) {
    be += static_cast<char>(u >> 8);
    be += static_cast<char>(u & 0xFF);
  }
  auto p = parse(be.substr(be.find(std::string("\0<\0x", 4))));  // from the first element on
  EXPECT_EQ(p.values["Xmp.photoshop.Headline"], (Items{{"", "Hà Nội"}}));
}

TEST(XmpReader, DamagedPacketKeepsWhatWasReadAndWarns) {
  auto p = parse(packet("<rdf:Description xmlns:dc='http://purl.org/dc/elements/1.1/' dc:format='image/jpeg'>"
                        "<dc:title>cut here <rdf:li"),
                 false);
  EXPECT_EQ(p.values["Xmp.dc.format"], (Items{{"", "image/jpeg"}}));
}

// Packets built to make a parser slow: well-formed, but nested 200,000 deep or declaring thousands of
// namespaces. The reader stops at its bound (before doing the work), names the bound in its warning, and keeps
// what it read before; the same shapes within the bounds are read whole.
TEST(XmpReader, HostileNestingIsRefusedQuickly) {
  const std::string dc = " xmlns:dc='http://purl.org/dc/elements/1.1/'";
  const std::string before = "<rdf:Description" + dc + "><dc:format>image/jpeg</dc:format></rdf:Description>";
  const std::string after = "<rdf:Description" + dc + "><dc:title>after</dc:title></rdf:Description>";
  auto nested = [](int depth) {
    std::string s;
    for (int i = 0; i < depth; ++i) s += "<a>";
    for (int i = 0; i < depth; ++i) s += "</a>";
    return s;
  };
  auto declaring = [](int namespaces) {
    std::string s = "<rdf:Description";
    for (int i = 0; i < namespaces; ++i) s += " xmlns:p" + std::to_string(i) + "='u'";
    return s + "/>";
  };
  auto refused = [&](const std::string& hostile, const std::string& bound) {
    XmpProps props;
    std::vector<std::string> warnings;
    EXPECT_FALSE(parse_xmp_packet(packet(before + hostile + after), &props, &warnings));
    EXPECT_EQ(warnings, std::vector<std::string>{"XMP packet refused: " + bound + "; read up to there"});
    EXPECT_EQ(props.values["Xmp.dc.format"], (Items{{"", "image/jpeg"}})) << "what came before is kept";
    EXPECT_FALSE(props.values.contains("Xmp.dc.title")) << "nothing after the bound is read";
  };
  auto read_whole = [&](const std::string& body) {
    auto p = parse(packet(before + body + after));
    EXPECT_EQ(p.values["Xmp.dc.title"], (Items{{"", "after"}}));
  };

  refused(nested(200000), "elements nest more than 64 deep");
  read_whole(nested(60));  // with x:xmpmeta and rdf:RDF, 62 levels
  refused(declaring(5000), "an element has more than 1024 attributes");
  refused(declaring(300), "more than 256 namespaces are declared at once");
  read_whole(declaring(200));
}

TEST(XmpReader, JpegSplitLeavesXmpOutOfTheHead) {
  std::string xmp_payload = std::string("http://ns.adobe.com/xap/1.0/\0", 29) + "<x:xmpmeta/>";
  std::string jpeg = "\xFF\xD8";
  auto segment = [&](unsigned char marker, const std::string& payload) {
    std::size_t len = payload.size() + 2;
    jpeg += '\xFF';
    jpeg += static_cast<char>(marker);
    jpeg += static_cast<char>(len >> 8);
    jpeg += static_cast<char>(len & 0xFF);
    jpeg += payload;
  };
  segment(0xE1, std::string("Exif\0\0II*\0\x08\0\0\0\0\0", 16));
  segment(0xE1, xmp_payload);
  segment(0xDA, std::string("\x01\x01\x00\x00\x3f\x00", 6));
  jpeg += std::string(1000, '\x55') + "\xFF\xD9";
  JpegWithoutXmp split;
  ASSERT_TRUE(split_jpeg_xmp({reinterpret_cast<const std::uint8_t*>(jpeg.data()), jpeg.size()}, &split));
  ASSERT_EQ(split.xmp_packets.size(), 1u);
  EXPECT_EQ(split.xmp_packets[0], "<x:xmpmeta/>");
  std::string head(split.head.begin(), split.head.end());
  EXPECT_EQ(head.find("ns.adobe.com"), std::string::npos);
  EXPECT_NE(head.find("Exif"), std::string::npos);
  EXPECT_LT(head.size(), 60u) << "the scan data is not copied";
}

}  // namespace
}  // namespace kho::ingest::detail
