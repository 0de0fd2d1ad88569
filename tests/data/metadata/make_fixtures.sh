#!/bin/bash
# Makes the small metadata fixtures in this folder with ImageMagick and the exiv2 CLI (0.27).
# Re-run from this folder to rebuild them; the tests read the committed files, not this script.
# Expected values live in tests/ingest/test_ingest_metadata_*.cc, written by hand from what is set here.
set -euo pipefail
cd "$(dirname "$0")"
base() { convert -size 16x12 xc:'#808080' -strip "$1"; }
set_meta() { local f=$1; shift; for m in "$@"; do exiv2 -q -M"$m" "$f"; done; }
# UCS-2LE bytes of a UTF-8 string, as exiv2 "Byte" values (Windows XP tags).
ucs2() { python3 -c 'import sys; print(" ".join(str(b) for b in (sys.argv[1].encode("utf-16-le") + b"\0\0")))' "$1"; }

ESC=$'\x1b'

base iptc_utf8.jpg
set_meta iptc_utf8.jpg "set Iptc.Envelope.CharacterSet ${ESC}%G" \
  "set Iptc.Application2.Caption Hà Nội: Lễ hội đền Hùng" \
  "set Iptc.Application2.Headline Giỗ Tổ Hùng Vương" \
  "add Iptc.Application2.Keywords lễ hội" "add Iptc.Application2.Keywords Phú Thọ" \
  "set Iptc.Application2.Byline Nguyễn Văn A" "set Iptc.Application2.Credit TTXVN"

base iptc_latin1.jpg
set_meta iptc_latin1.jpg "set Iptc.Application2.Caption $(printf 'Caf\xe9 S\xe3o Paulo \x80 5')" \
  "set Iptc.Application2.Byline $(printf 'J\xfcrgen M\xfcller')"

base xmp_langalt.jpg
set_meta xmp_langalt.jpg 'set Xmp.dc.description lang="vi-VN" Mô tả tiếng Việt' \
  'set Xmp.dc.description lang="x-default" Default description' \
  'set Xmp.iptcExt.Event lang="x-default" SEA Games 31' \
  'set Xmp.photoshop.Headline Tiêu đề' 'set Xmp.photoshop.Credit Báo Nhân Dân' \
  'set Xmp.dc.subject XmpBag bóng đá' 'set Xmp.dc.subject XmpBag Mỹ Đình' \
  'set Xmp.dc.creator XmpSeq Trần B' \
  "set Iptc.Application2.Caption IPTC caption loses to XMP" \
  "set Exif.Image.ImageDescription EXIF loses to XMP"

base xmp_lang_only.jpg
set_meta xmp_lang_only.jpg 'set Xmp.dc.description lang="vi-VN" Chỉ có tiếng Việt'

# NFD (decomposed) text: the record must hold NFC.
base xmp_nfd.jpg
nfd_text=$(python3 -c 'import unicodedata;print(unicodedata.normalize("NFD","Hồ Hoàn Kiếm"))')
set_meta xmp_nfd.jpg "set Xmp.dc.description lang=\"x-default\" $nfd_text"

base iptc_over_exif.jpg
set_meta iptc_over_exif.jpg "set Iptc.Application2.Caption IPTC wins" "set Exif.Image.ImageDescription EXIF loses"

base exif_placeholder.jpg
set_meta exif_placeholder.jpg "set Exif.Image.ImageDescription OLYMPUS DIGITAL CAMERA         " \
  "set Exif.Image.Make OLYMPUS IMAGING CORP.  " "set Exif.Image.Model E-P3            "

base exif_description.jpg
set_meta exif_description.jpg "set Exif.Image.ImageDescription Cầu Long Biên lúc bình minh" \
  "set Exif.Image.Artist Lê C"

base usercomment_ascii.jpg
set_meta usercomment_ascii.jpg "set Exif.Photo.UserComment charset=Ascii Plain ASCII comment"
base usercomment_unicode.jpg
set_meta usercomment_unicode.jpg "set Exif.Photo.UserComment charset=Unicode Xin chào Việt Nam"
# JIS X 0208 raw codes of 日本 (0x467C 0x4B5C) are the ASCII bytes "F|K\".
base usercomment_jis.jpg
set_meta usercomment_jis.jpg 'set Exif.Photo.UserComment charset=Jis F|K\'

base xp_tags.jpg
set_meta xp_tags.jpg "set Exif.Image.XPTitle Byte $(ucs2 'Tiêu đề XP')" \
  "set Exif.Image.XPComment Byte $(ucs2 'Ghi chú XP 😀')" \
  "set Exif.Image.XPAuthor Byte $(ucs2 'Phạm D')" \
  "set Exif.Image.XPKeywords Byte $(ucs2 'một;hai; ba')"

gps() {  # file latref lat lonref lon altref alt
  base "$1"
  set_meta "$1" "set Exif.GPSInfo.GPSLatitudeRef $2" "set Exif.GPSInfo.GPSLatitude $3" \
    "set Exif.GPSInfo.GPSLongitudeRef $4" "set Exif.GPSInfo.GPSLongitude $5" \
    "set Exif.GPSInfo.GPSAltitudeRef Byte $6" "set Exif.GPSInfo.GPSAltitude $7"
}
gps gps_ne.jpg N "21/1 1/1 30/1" E "105/1 51/1 15/1" 0 "12/1"          # Hà Nội
gps gps_nw.jpg N "40/1 41/1 2130/100" W "74/1 2/1 4050/100" 0 "10/1"   # New York
gps gps_se.jpg S "33/1 52/1 4/1" E "151/1 12/1 26/1" 0 "58/1"          # Sydney
gps gps_sw.jpg S "22/1 54/1 30/1" W "43/1 11/1 47/1" 1 "3/2"           # Rio, 1.5 m below sea level

base datetime_offset.jpg
set_meta datetime_offset.jpg "set Exif.Photo.DateTimeOriginal 2020:05:17 08:30:15" \
  "set Exif.Photo.SubSecTimeOriginal 042" "set Exif.Photo.OffsetTimeOriginal +07:00" \
  "set Exif.Photo.ExposureTime 1/250" "set Exif.Photo.FNumber 28/10" "set Exif.Photo.ISOSpeedRatings 400" \
  "set Exif.Photo.FocalLength 35/1" "set Exif.Image.Orientation 6" "set Exif.Photo.LensModel XF35mmF1.4 R" \
  "set Exif.Image.Make FUJIFILM" "set Exif.Image.Model X-T3"

# Other containers: PNG and WebP (with XMP), TIFF (EXIF in the file's own IFD0).
convert -size 20x10 xc:'#336699' -strip png_xmp.png
set_meta png_xmp.png 'set Xmp.dc.description lang="x-default" Ảnh PNG' "set Exif.Image.Make PNGMaker"
convert -size 24x8 xc:'#996633' -strip webp_xmp.webp
set_meta webp_xmp.webp 'set Xmp.dc.description lang="x-default" Ảnh WebP' \
  "set Exif.Photo.DateTimeOriginal 2019:01:02 03:04:05"
convert -size 10x6 xc:'#123456' -strip tiff_exif.tif
set_meta tiff_exif.tif "set Exif.Image.Make TIFFMaker" "set Exif.Image.Orientation 8"

# Bad input. A PNG named .jpg; an empty file; text; a JPEG cut inside its EXIF block; a JPEG whose
# IFD0 offset points far past the end (hostile EXIF, Exiv2 rejects it).
cp png_xmp.png png_named.jpg
: > empty.jpg
printf 'This is not an image, just text.\n' > text.jpg
head -c 60 datetime_offset.jpg > truncated_exif.jpg
python3 - <<'PY'
data = bytearray(open("datetime_offset.jpg", "rb").read())
at = data.find(b"Exif\0\0") + 6
order = data[at:at + 2]
# TIFF header: byte order, 42, offset of IFD0. Point IFD0 past the end.
data[at + 4:at + 8] = (0x7FFFFFF0).to_bytes(4, "little" if order == b"II" else "big")
open("hostile_ifd_offset.jpg", "wb").write(bytes(data))
PY
ls -la
