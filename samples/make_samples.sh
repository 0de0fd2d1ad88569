#!/usr/bin/env bash
# Regenerates every photo under samples/ from the developers' photo set (../shared/photos),
# deterministically: same inputs and same ImageMagick/exiv2 versions give the same bytes.
#
#   samples/make_samples.sh [PHOTOS_DIR]     (default: <repo>/../shared/photos)
#
# Needs bash, ImageMagick 6 `convert`/`identify` (Debian's build decodes the two WebP sources itself)
# and the `exiv2` CLI (Debian: imagemagick, exiv2). The article texts are not generated: they are committed as is.
# Which source photo becomes which sample, and why, is in samples/README.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=${1:-"$here/../../shared/photos"}
if [[ ! -d "$src/metadata-extractor-images/jpg" ]]; then
  echo "make_samples.sh: photo set not found at '$src' (pass its path as the first argument)" >&2
  exit 1
fi
for tool in convert identify exiv2; do
  command -v "$tool" >/dev/null || { echo "make_samples.sh: '$tool' is not installed" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A camera JPEG is seldom above ~1600 px once a newsroom has exported it; smaller sources are kept at
# their own size rather than upscaled, so no sample shows interpolation blur.
readonly max_edge=1600
readonly quality=85

# render SRC DEST [CROP_GEOMETRY EDGE QUALITY]: decode, apply the source's own EXIF orientation, drop
# all of its metadata (its camera, dates and ICC are not ours to keep), optionally crop, then resize
# and re-encode as a baseline 4:2:0 JPEG.
render() {
  local in=$1 out=$2 crop=${3:-} edge=${4:-$max_edge} q=${5:-$quality}
  local args=("$in" -auto-orient -strip)
  [[ -n "$crop" ]] && args+=(-crop "$crop" +repage)
  args+=(-resize "${edge}x${edge}>" -sampling-factor 2x2 -interlace none -quality "$q")
  # -quiet: some sources carry a malformed XMP packet that -strip discards anyway.
  convert -quiet "${args[@]}" "JPEG:$out"
}

# tag FILE MAKE MODEL DATETIME SUBSEC [CAPTION]: writes the EXIF (and, with a caption, the IPTC and
# XMP captions) with exiv2. The caption goes into all three places a newsroom tool might read it from.
tag() {
  local file=$1 make=$2 model=$3 when=$4 subsec=$5 caption=${6:-}
  local w h cmd="$work/tags.txt"
  read -r w h < <(identify -format '%w %h\n' "$file")
  {
    echo "set Exif.Image.Make Ascii $make"
    echo "set Exif.Image.Model Ascii $model"
    echo "set Exif.Image.Orientation Short 1"
    echo "set Exif.Photo.ExifVersion Undefined 48 50 51 50"
    echo "set Exif.Photo.DateTimeOriginal Ascii $when"
    echo "set Exif.Photo.DateTimeDigitized Ascii $when"
    echo "set Exif.Photo.SubSecTimeOriginal Ascii $subsec"
    echo "set Exif.Photo.SubSecTimeDigitized Ascii $subsec"
    echo "set Exif.Photo.OffsetTimeOriginal Ascii +07:00"
    echo "set Exif.Photo.PixelXDimension Long $w"
    echo "set Exif.Photo.PixelYDimension Long $h"
    if [[ -n "$caption" ]]; then
      # ESC % G declares the IPTC record UTF-8 (IIM 1:90); without it readers assume Latin-1.
      printf 'set Iptc.Envelope.CharacterSet String \033%%G\n'
      echo "set Exif.Image.ImageDescription Ascii $caption"
      echo "set Iptc.Application2.Caption String $caption"
      echo "set Xmp.dc.description LangAlt lang=x-default $caption"
    fi
  } >"$cmd"
  exiv2 -m "$cmd" "$file"
}

# photo SRC_REL DEST_DIR DEST_NAME MAKE MODEL DATETIME SUBSEC [CAPTION]; EDGE=N before the call
# lowers the long edge for a source whose fine texture would otherwise make a large file.
photo() {
  local in="$src/$1" dir="$here/$2" name=$3
  shift 3
  mkdir -p "$dir"
  render "$in" "$work/out.jpg" "" "${EDGE:-$max_edge}"
  tag "$work/out.jpg" "$@"
  mv -f "$work/out.jpg" "$dir/$name"
}

mei=metadata-extractor-images

# --- Event 1: the seed article (2020-11-18, one Canon EOS 80D, morning) ----------------------------
ev1="2020-11-18 Sơn La thăm Thanh Hóa"
# The article writes "ảnh anh xuân …" precomposed; on disk the name is NFD, as a Mac would store it.
# Spelled byte by byte so that neither the editor nor the locale can recompose it.
nfd_name=$(printf 'a\xcc\x89nh anh xua\xcc\x82n tie\xcc\x82\xcc\x81p va\xcc\x80 la\xcc\x80m ')
nfd_name+=$(printf 'vie\xcc\xa3\xcc\x82c vo\xcc\x9b\xcc\x81i so\xcc\x9bn la.jpg')
# Two photos carry an embedded caption. It is the photographer's wording, not the article's: new-style
# tone marks ("ủy", "Hóa") where the article has old-style ones ("uỷ", "Hoá").
photo "$mei/jpg/Photoshop (4).jpg" "$ev1" "$nfd_name" \
  Canon "Canon EOS 80D" "2020:11:18 08:31:07" 42 \
  "Bí thư Thành ủy Lê Anh Xuân tiếp và làm việc với đoàn công tác tỉnh Sơn La"
# The article's "toanf" is a Telex typing slip: the file itself is correctly spelled.
photo "$mei/jpg/Minolta DiMAGE X.jpg" "$ev1" "toàn cảnh sơn la làm việc tại điện biên.jpg" \
  Canon "Canon EOS 80D" "2020:11:18 08:46:55" 18
photo "$mei/jpg/Photoshop (1).jpg" "$ev1" "tặng sơn la tranh.jpg" \
  Canon "Canon EOS 80D" "2020:11:18 09:12:30" 63 \
  "Lãnh đạo TP Thanh Hóa tặng tỉnh Sơn La bức tranh về Làng cổ Đông Sơn"
# The one-to-one trap: these two names differ by one mark each ("thăm/tham", "phân/phận") and are two
# different photos. A linker that matches loosely first would swap or merge them.
photo "$mei/jpg/Nikon D1X.jpg" "$ev1" "thăm bộ phân một cửa.jpg" \
  Canon "Canon EOS 80D" "2020:11:18 09:38:12" 05
photo "$mei/jpg/Canon EOS REBEL T3i.jpg" "$ev1" "tham bộ phận một cửa.jpg" \
  Canon "Canon EOS 80D" "2020:11:18 09:41:47" 91
# Stored without diacritics (as a Windows/FAT copy often is); the article says "phòng truyền thống 2".
photo "$mei/jpg/Casio EX-Z3.jpg" "$ev1" "phong truyen thong 2.jpg" \
  Canon "Canon EOS 80D" "2020:11:18 09:58:20" 36
photo "$mei/jpg/Canon EOS D60.jpg" "$ev1" "thăm phòng truyền thống.jpg" \
  Canon "Canon EOS 80D" "2020:11:18 10:03:14" 57

# The near-duplicate: the same exposure re-saved by someone else (cropped to the central 90% of each
# side, shrunk to 1024 px, quality 70). The source was chosen because its 64-bit pHash survives such a
# crop (distance 3 here, versus 14-18 for a busier picture like the Minolta one): the pair must cluster
# for any sane duplicate setting, while every other pair of samples stays far apart (README.md). It keeps
# the original's capture time and sub-seconds, as a re-saved copy does: two different capture times would
# mean two exposures, i.e. not a duplicate.
dup_src="$src/$mei/jpg/Canon EOS D60.jpg"
read -r sw sh < <(identify -format '%w %h\n' "$dup_src")
cw=$((sw * 90 / 100)); ch=$((sh * 90 / 100))
cx=$(((sw - cw) / 2)); cy=$(((sh - ch) / 2))
render "$dup_src" "$work/dup.jpg" "${cw}x${ch}+${cx}+${cy}" 1024 70
tag "$work/dup.jpg" Canon "Canon EOS 80D" "2020:11:18 10:03:14" 57
mv -f "$work/dup.jpg" "$here/$ev1/tham phòng truyền thống 1.jpg"

# --- Event 2: photos and no article (2020-11-20, another photographer's Nikon) --------------------
ev2="2020-11-20 Hội chợ ảnh"
photo "$mei/jpg/Kyocera FC-S3.jpg" "$ev2" "DSC_0412.JPG" \
  "NIKON CORPORATION" "NIKON D7500" "2020:11:20 14:05:33" 20
EDGE=1280 photo "$mei/jpg/Oppo R7 Plus.jpg" "$ev2" "DSC_0419.JPG" \
  "NIKON CORPORATION" "NIKON D7500" "2020:11:20 14:12:08" 70
photo "$mei/webp/Nikon Coolpix P7000.webp" "$ev2" "DSC_0433.JPG" \
  "NIKON CORPORATION" "NIKON D7500" "2020:11:20 14:26:41" 10

# --- Event 3: an article naming a photo that is missing on purpose (2020-12-01) -------------------
# bai-viet.txt references "cắt băng khai mạc.jpg", which is deliberately not generated.
ev3="2020-12-01 Lễ khai mạc"
photo "$mei/jpg/Konica Q-M100 (2).jpg" "$ev3" "tiết mục văn nghệ chào mừng.jpg" \
  Canon "Canon EOS 80D" "2020:12:01 08:52:16" 33
photo "$mei/webp/Photo (2).webp" "$ev3" "biểu diễn lửa.jpg" \
  Canon "Canon EOS 80D" "2020:12:01 09:07:40" 88
# An orphan beside the article: no reference names it, and it must not be taken for the missing
# "cắt băng khai mạc.jpg" just because it is the only file left unclaimed.
photo "$mei/jpg/Nokia 3110c (Mobile Phone).jpg" "$ev3" "quảng trường lam sơn.jpg" \
  Canon "Canon EOS 80D" "2020:12:01 09:15:02" 47

echo "make_samples.sh: photos written under $here"
