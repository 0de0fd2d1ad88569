#!/usr/bin/env python3
"""Builds a tracing set (issue 12): camera originals, burst neighbours, the web copies a CMS made of them,
agency photos with no original, and a reference with no file, with the truth beside them.

Standard library only; the pixels are made by ImageMagick (`convert`) and the camera EXIF is written by
exiftool (both in .ci/install). Deterministic for a given --seed.

    make_set.py --bases DIR_OR_FILES... --out DIR [--mp 3] [--seed 1] [--copies 2]

Layout of DIR:
  <event i>/DSC_xxxx.JPG      originals (--mp megapixels, camera EXIF: Make, Model, DateTimeOriginal with
                              SubSecTimeOriginal) and burst neighbours 0.3 s apart (shifted 1-3 %; "moving"
                              ones also have a patch of the frame moved, as a person who moved)
  <event i>/<cms name>.jpg    web copies of the event's published frames, and agency photos (web copies only)
  <event i>/bai-viet.txt      the article: one reference per web copy, plus one reference with no file
  2020-12-05 Báo điện tử/     a second article per event's photos, in a folder with web copies only (its
                              originals are found in the whole archive, not in the event)
  truth.tsv                   folder, ref, expected original file name ("" for none), kind, transforms, and
                              whether the copy is inherently ambiguous (another frame, a pure shift, holds
                              every pixel it shows: "ambiguous" is the right answer, a frame is a guess)

Each base gives two "photos": its left and right halves (distinct content), so 8 bases make 16 originals.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys

CAMERAS = [("NIKON CORPORATION", "NIKON D750"), ("Canon", "Canon EOS 5D Mark IV"), ("SONY", "ILCE-7M3")]


def run(*args):
    subprocess.run(list(args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def size_for(mp, portrait):
    # 2:3 halves; mp megapixels.
    long_side = int((mp * 1e6 * 1.5) ** 0.5)
    short_side = int(long_side / 1.5)
    return (short_side, long_side) if portrait else (long_side, short_side)


GRAIN = [0.0]  # sensor-like noise on camera frames (--grain); 0: none


def make_frame(src, half, out, w, h, shift, move, rng):
    """One camera frame: the half `half` of `src`, scaled to cover (w, h) plus a 4 % margin, cut at an
    offset (shift, as fractions of w and h), optionally with a patch moved (a person who moved)."""
    margin = 1.04
    cw, ch = int(w * margin), int(h * margin)
    ox = int((cw - w) / 2 + shift[0] * w)
    oy = int((ch - h) / 2 + shift[1] * h)
    args = ["convert", src, "-auto-orient"]
    if half == 0:
        args += ["-gravity", "west", "-crop", "50%x100%+0+0", "+repage"]
    else:
        args += ["-gravity", "east", "-crop", "50%x100%+0+0", "+repage"]
    args += ["-gravity", "northwest", "-resize", "{}x{}^".format(cw, ch), "-extent", "{}x{}".format(cw, ch),
             "-crop", "{}x{}+{}+{}".format(w, h, ox, oy), "+repage"]
    if move:
        pw, ph = int(w * 0.22), int(h * 0.30)
        px, py = rng.randint(int(w * 0.2), int(w * 0.55)), rng.randint(int(h * 0.2), int(h * 0.5))
        dx = int(w * rng.uniform(0.05, 0.09)) * rng.choice([-1, 1])
        args += ["(", "+clone", "-crop", "{}x{}+{}+{}".format(pw, ph, px, py), "+repage", ")",
                 "-geometry", "+{}+{}".format(px + dx, py), "-composite"]
    if GRAIN[0] > 0:
        # Each frame its own sensor noise: camera files of realistic size (4-6 MB at 12 MP) and decode cost.
        args += ["-seed", str(rng.randint(1, 1 << 30)), "-attenuate", str(GRAIN[0]), "+noise", "Gaussian"]
    args += ["-quality", "92", out]
    run(*args)
    return ox, oy


def write_exif(path, camera, when, subsec):
    make, model = camera
    run("exiftool", "-q", "-overwrite_original", "-Make=" + make, "-Model=" + model,
        "-DateTimeOriginal=" + when, "-SubSecTimeOriginal=" + subsec, "-CreateDate=" + when,
        "-ExposureTime=1/250", "-FNumber=5.6", "-ISO=400", path)


def make_web_copy(src_path, out, rng, crop, logo, long_side, quality):
    w, h = map(int, subprocess.run(["identify", "-format", "%w %h", src_path], check=True,
                                   capture_output=True, text=True).stdout.split())
    window = (0, 0, w, h)  # the part of the source the copy shows
    args = ["convert", src_path]
    if crop:
        # A few per cent off, split at random between the sides.
        cx, cy = rng.uniform(0.02, 0.05), rng.uniform(0.02, 0.05)
        cw, ch = int(w * (1 - cx)), int(h * (1 - cy))
        x, y = int((w - cw) * rng.uniform(0, 1)), int((h - ch) * rng.uniform(0, 1))
        args += ["-crop", "{}x{}+{}+{}".format(cw, ch, x, y), "+repage"]
        window = (x, y, cw, ch)
        w, h = cw, ch
    args += ["-resize", "{}x{}>".format(long_side, long_side)]
    if logo:
        # A small newspaper logo (shapes only: no fonts needed) in a corner, about 12 % of the width.
        scale = min(1.0, long_side / max(w, h))
        w, h = int(w * scale), int(h * scale)
        lw, lh = max(40, w // 8), max(14, w // 28)
        x = 8 if rng.random() < 0.5 else w - lw - 8
        y = 8 if rng.random() < 0.5 else h - lh - 8
        args += ["-fill", "#ffffffd0", "-stroke", "#c00000", "-strokewidth", "2",
                 "-draw", "roundrectangle {},{} {},{} 5,5".format(x, y, x + lw, y + lh), "-stroke", "none",
                 "-fill", "#c00000"]
        for i in range(4):
            bx = x + 6 + i * (lw - 12) // 4
            args += ["-draw", "rectangle {},{} {},{}".format(bx, y + 4, bx + (lw - 12) // 6, y + lh - 4)]
    args += ["-strip", "-quality", str(quality), out]
    run(*args)
    return window


def cms_name(rng, when_epoch):
    style = rng.randint(0, 2)
    if style == 0:
        return "img_{}.jpg".format(when_epoch + rng.randint(0, 99999))
    token = "".join(rng.choice("0123456789abcdef") for _ in range(6))
    if style == 1:
        return "2020_11_{:02d}_{:02d}_{:02d}_{}.jpg".format(rng.randint(18, 30), rng.randint(7, 20),
                                                              rng.randint(0, 59), token)
    return "{}-{}.jpg".format(rng.choice(["anh", "photo", "thumb_large"]), token)


TRANSFORMS = [  # (crop, logo): every web copy is also resized, re-encoded and stripped
    (False, False), (True, False), (False, True), (True, True),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bases", nargs="+", required=True, help="base photos, or folders of them")
    ap.add_argument("--out", required=True)
    ap.add_argument("--mp", type=float, default=3.0, help="megapixels of the originals (12 for the bench)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-event", type=int, default=4, help="base halves per event folder")
    ap.add_argument("--agency", type=int, default=3, help="halves used as agency photos (no original)")
    ap.add_argument("--grain", type=float, default=0.0,
                    help="sensor-like noise on the camera frames (ImageMagick -attenuate; 0.6 gives ~5 MB at 12 MP)")
    args = ap.parse_args()
    GRAIN[0] = args.grain
    rng = random.Random(args.seed)

    bases = []
    for b in args.bases:
        if os.path.isdir(b):
            bases += [os.path.join(b, f) for f in sorted(os.listdir(b)) if f.lower().endswith((".jpg", ".jpeg"))]
        else:
            bases.append(b)
    photos = [(b, half) for b in bases for half in (0, 1)]
    rng.shuffle(photos)
    agency = photos[:args.agency]
    photos = photos[args.agency:]
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    press_dir = os.path.join(args.out, "2020-12-05 Báo điện tử")
    os.makedirs(press_dir)
    truth = []
    press_refs = []
    counter = 100
    events = [photos[i:i + args.per_event] for i in range(0, len(photos), args.per_event)]
    for e, group in enumerate(events):
        folder = os.path.join(args.out, "2020-11-{:02d} Sự kiện {}".format(18 + e, e + 1))
        os.makedirs(folder)
        refs = []
        camera = CAMERAS[e % len(CAMERAS)]
        for k, (src, half) in enumerate(group):
            w, h = size_for(args.mp, portrait=True)
            second = 10 + 7 * k
            when = "2020:11:{:02d} 09:{:02d}:{:02d}".format(18 + e, 10 + k, second)
            kind = ["single", "burst_shift", "burst_moving", "burst_moving"][k % 4]
            frames = []
            frame_geo = []  # (offset x, offset y, moved) of each frame in the shared canvas
            n_frames = 1 if kind == "single" else 3
            for f in range(n_frames):
                counter += rng.randint(1, 3)
                name = "DSC_{:04d}.JPG".format(counter)
                path = os.path.join(folder, name)
                if f == 0:
                    shift, move = (0.0, 0.0), False
                else:
                    mag = rng.uniform(0.01, 0.03) * f
                    shift = (mag * rng.choice([-1, 1]) * 0.6, mag * rng.choice([-1, 1]) * 0.4)
                    move = kind == "burst_moving"
                ox, oy = make_frame(src, half, path, w, h, shift, move, rng)
                frame_geo.append((ox, oy, move))
                # 0.3 s apart: sub-seconds 000, 300, 600.
                write_exif(path, camera, when, "{:03d}".format(300 * f))
                frames.append(name)
            published = rng.randrange(len(frames))
            for variant in range(2):
                crop, logo = TRANSFORMS[(k + variant + e) % len(TRANSFORMS)]
                long_side = rng.randint(600, 1280)
                quality = rng.randint(60, 85)
                web = cms_name(rng, 1605689412 + 1000 * e + 10 * k + variant)
                where = folder if variant == 0 else press_dir
                x, y, cw, ch = make_web_copy(os.path.join(folder, frames[published]), os.path.join(where, web), rng,
                                             crop, logo, long_side, quality)
                # Inherently ambiguous: another frame without a moved patch holds every pixel the copy shows
                # (a pure shift smaller than the crop): the same pixels, two exposures. Kho must say ambiguous.
                px, py, _ = frame_geo[published]
                inherent = any(
                    j != published and not mv and ox <= px + x and px + x + cw <= ox + w and oy <= py + y and
                    py + y + ch <= oy + h for j, (ox, oy, mv) in enumerate(frame_geo))
                tr = "resize{}+q{}+strip{}{}".format(long_side, quality, "+crop" if crop else "",
                                                     "+logo" if logo else "")
                row = (os.path.basename(where), web, frames[published], kind, tr, "yes" if inherent else "no")
                truth.append(row)
                (refs if variant == 0 else press_refs).append(web)
        # Agency photos: only a web copy exists.
        if e < len(agency):
            src, half = agency[e]
            tmp = os.path.join(args.out, "agency_full.jpg")
            make_frame(src, half, tmp, *size_for(1.5, portrait=True), (0, 0), False, rng)
            web = cms_name(rng, 1605700000 + e)
            make_web_copy(tmp, os.path.join(folder, web), rng, False, rng.random() < 0.5, rng.randint(600, 1280),
                          rng.randint(60, 85))
            os.remove(tmp)
            refs.append(web)
            truth.append((os.path.basename(folder), web, "", "agency", "agency web copy", "no"))
        # A reference with no file.
        missing = "anh-khong-co-{}.jpg".format(e + 1)
        refs.append(missing)
        truth.append((os.path.basename(folder), missing, "", "missing", "no file", "no"))
        write_article(os.path.join(folder, "bai-viet.txt"), "Sự kiện số {} của thành phố".format(e + 1),
                      "{:02d}/11/2020".format(18 + e), refs)
    write_article(os.path.join(press_dir, "bai-bao.txt"), "Tổng hợp ảnh các sự kiện tháng mười một",
                  "05/12/2020", press_refs)
    with open(os.path.join(args.out, "truth.tsv"), "w", encoding="utf-8") as f:
        f.write("folder\tref\toriginal\tkind\ttransforms\tinherently_ambiguous\n")
        for row in truth:
            f.write("\t".join(row) + "\n")
    print("{} references ({} with an original) in {} event folders".format(
        len(truth), sum(1 for r in truth if r[2]), len(events) + 1), file=sys.stderr)


def write_article(path, title, date, refs):
    lines = [title.upper(), "", "Ngày " + date + " 08:00:00", "",
             "Bài viết thử cho việc truy ảnh gốc: mỗi ảnh dưới đây là bản đã đăng trên báo.", ""]
    for i, ref in enumerate(refs):
        lines += [ref, "", "Chú thích ảnh số {}: quang cảnh buổi lễ tại {}.".format(i + 1, title.lower()), ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
