#!/usr/bin/env bash
# Makes the export fixtures (committed; run again only to change them). Needs exiftool and ../shared.
# rich.jpg: tests/data/ingest/p1.jpg (a small real JPEG) with an ICC profile (the sRGB IEC61966-2.1
# profile of ../shared/photos/metadata-extractor-images/jpg/Apple iPhone 4.jpg, Apache-2.0, see
# samples/LICENSE-photos-metadata-extractor-images.md), camera EXIF, GPS, keywords (IPTC and XMP) and a
# caption of its own, so the export tests can check that all of it survives.
set -euo pipefail
cd "$(dirname "$0")"
SHARED=../../../../shared/photos/metadata-extractor-images/jpg
exiftool -q -b -ICC_Profile "$SHARED/Apple iPhone 4.jpg" > /tmp/kho-fixture.icc
cp ../ingest/p1.jpg rich.jpg
exiftool -q -overwrite_original -charset iptc=UTF8 -codedcharacterset=utf8 \
  "-ICC_Profile<=/tmp/kho-fixture.icc" -Make=Canon "-Model=Canon EOS 80D" \
  "-DateTimeOriginal=2020:11:18 09:12:30" -OffsetTimeOriginal=+07:00 -SubSecTimeOriginal=63 \
  -GPSLatitude=19.8067 -GPSLatitudeRef=N -GPSLongitude=105.7852 -GPSLongitudeRef=E \
  "-IPTC:Keywords=Thanh Hóa" "-IPTC:Keywords=lễ hội" "-XMP-dc:Subject=Thanh Hóa" "-XMP-dc:Subject=lễ hội" \
  "-XMP-dc:Description=Chú thích cũ của máy ảnh" "-IPTC:Caption-Abstract=Chú thích cũ của máy ảnh" \
  rich.jpg
rm -f /tmp/kho-fixture.icc
