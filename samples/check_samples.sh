#!/usr/bin/env bash
# Checks that samples/ still has the properties README.md promises (run it after make_samples.sh):
# the names the linker depends on, the EXIF/IPTC/XMP tags, the sizes, the one near-duplicate pair's
# shared capture time, the missing photo, and that the seed copy is byte-exact.
#
#   samples/check_samples.sh [SEED_FILE]   (default: <repo>/../shared/seed/000_b3632f37396194da.txt)
#
# Needs bash, exiv2, ImageMagick `identify` and python3. Prints one line per failure; exit 1 if any.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
seed=${1:-"$here/../../shared/seed/000_b3632f37396194da.txt"}
ev1="$here/2020-11-18 Sơn La thăm Thanh Hóa"
ev2="$here/2020-11-20 Hội chợ ảnh"
ev3="$here/2020-12-01 Lễ khai mạc"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The names on disk (NFC except the one NFD name, which is checked separately below).
expect=(
  "$ev1/000_b3632f37396194da.txt"
  "$ev1/toàn cảnh sơn la làm việc tại điện biên.jpg"
  "$ev1/tặng sơn la tranh.jpg"
  "$ev1/thăm bộ phân một cửa.jpg"
  "$ev1/tham bộ phận một cửa.jpg"
  "$ev1/phong truyen thong 2.jpg"
  "$ev1/thăm phòng truyền thống.jpg"
  "$ev1/tham phòng truyền thống 1.jpg"
  "$ev2/DSC_0412.JPG" "$ev2/DSC_0419.JPG" "$ev2/DSC_0433.JPG"
  "$ev3/bai-viet.txt" "$ev3/tiết mục văn nghệ chào mừng.jpg" "$ev3/biểu diễn lửa.jpg"
  "$ev3/quảng trường lam sơn.jpg"
)
for f in "${expect[@]}"; do [[ -f "$f" ]] || fail "missing ${f#"$here/"}"; done

nfd=$(printf 'a\xcc\x89nh anh xua\xcc\x82n tie\xcc\x82\xcc\x81p va\xcc\x80 la\xcc\x80m ')
nfd+=$(printf 'vie\xcc\xa3\xcc\x82c vo\xcc\x9b\xcc\x81i so\xcc\x9bn la.jpg')
[[ -f "$ev1/$nfd" ]] || fail "the NFD name 'ảnh anh xuân …jpg' is missing (or was recomposed to NFC)"
nfd_count=$(python3 - "$here" <<'EOF'
import os, sys, unicodedata as u
names = [n for _, _, fs in os.walk(sys.argv[1]) for n in fs]
print(sum(1 for n in names if not u.is_normalized("NFC", n)))
EOF
)
[[ "$nfd_count" == 1 ]] || fail "expected exactly 1 non-NFC file name, found $nfd_count"

[[ ! -e "$ev3/cắt băng khai mạc.jpg" ]] || fail "cắt băng khai mạc.jpg must stay missing"
grep -qx 'cắt băng khai mạc.jpg' "$ev3/bai-viet.txt" ||
  fail "bai-viet.txt no longer references cắt băng khai mạc.jpg"
if [[ -f "$seed" ]]; then
  cmp -s "$seed" "$ev1/000_b3632f37396194da.txt" || fail "the seed copy differs from $seed"
else
  echo "note: seed not found at $seed, byte-exact check skipped"
fi

tag() { exiv2 -q -K "$2" -Pv "$1" 2>/dev/null; }
photos=0 captions=0 total=0
declare -A shot_of
while IFS= read -r -d '' f; do
  rel=${f#"$here/"}
  photos=$((photos + 1))
  size=$(stat -c %s "$f"); total=$((total + size))
  ((size < 400 * 1024)) || fail "$rel is $size bytes (limit 400 KiB)"
  read -r w h < <(identify -format '%w %h\n' "$f")
  ((w <= 1600 && h <= 1600)) || fail "$rel is ${w}x${h} (long edge limit 1600)"
  [[ "$(tag "$f" Exif.Image.Orientation)" == 1 ]] || fail "$rel: Orientation is not 1"
  [[ -n "$(tag "$f" Exif.Image.Make)" && -n "$(tag "$f" Exif.Image.Model)" ]] || fail "$rel: no Make/Model"
  when=$(tag "$f" Exif.Photo.DateTimeOriginal)
  folder_date=$(basename "$(dirname "$f")" | cut -c1-10 | tr - :)
  [[ "$when" == "$folder_date "* ]] || fail "$rel: DateTimeOriginal '$when' is not on $folder_date"
  sub=$(tag "$f" Exif.Photo.SubSecTimeOriginal)
  [[ -n "$sub" ]] || fail "$rel: no SubSecTimeOriginal"
  shot="$when.$sub"
  [[ -z "${shot_of[$shot]:-}" ]] || shot_of[$shot]+=" | "
  shot_of[$shot]+=$rel
  desc=$(tag "$f" Exif.Image.ImageDescription)
  if [[ -n "$desc" ]]; then
    captions=$((captions + 1))
    [[ "$(tag "$f" Iptc.Application2.Caption)" == "$desc" ]] || fail "$rel: IPTC caption differs from EXIF"
    [[ "$(tag "$f" Xmp.dc.description)" == *"$desc" ]] || fail "$rel: XMP description differs from EXIF"
  fi
done < <(find "$here" -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) -print0 | sort -z)

((photos == 14)) || fail "expected 14 photos, found $photos"
((captions == 2)) || fail "expected 2 photos with an embedded caption, found $captions"
((total < 6 * 1024 * 1024)) || fail "photos total $total bytes (limit 6 MiB)"
# Only the near-duplicate pair shares a capture instant: every other photo is its own exposure.
pair_dir="2020-11-18 Sơn La thăm Thanh Hóa"
pair="$pair_dir/thăm phòng truyền thống.jpg | $pair_dir/tham phòng truyền thống 1.jpg"
pair_rev="${pair#* | } | ${pair% | *}"
for shot in "${!shot_of[@]}"; do
  v=${shot_of[$shot]}
  if [[ "$v" == *" | "* && "$v" != "$pair" && "$v" != "$pair_rev" ]]; then
    fail "photos share the capture time $shot: $v"
  fi
done
[[ " ${shot_of[*]} " == *"$pair"* || " ${shot_of[*]} " == *"$pair_rev"* ]] \
  || fail "the near-duplicate pair no longer shares its capture time"

if ((failures)); then echo "check_samples.sh: $failures failure(s)"; exit 1; fi
echo "check_samples.sh: OK ($photos photos, $captions captioned, $total bytes)"
