#!/usr/bin/python3
# Writes the legacy-encoding fixtures: one real Vietnamese article text (article.utf8.txt, UTF-8 NFC)
# encoded as Windows-1258, VNI and TCVN3 (article.cp1258.txt, article.vni.txt, article.tcvn3.txt).
# The VNI and TCVN3 encoders below follow the published code charts; Windows-1258 uses Python's codec
# on the decomposed text, the way Windows writes it (base letter, then a combining tone byte).
# Run from this folder: /usr/bin/python3 make_legacy.py
import unicodedata

TEXT = """ĐOÀN CÔNG TÁC TỈNH SƠN LA THĂM VÀ LÀM VIỆC TẠI THÀNH PHỐ THANH HÓA
Ngày 18/11/2020
Sáng 18/11, đoàn công tác tỉnh Sơn La do đồng chí Bí thư Thành ủy dẫn đầu đã đến thăm và làm việc tại thành phố Thanh Hóa.
Hai bên đã trao đổi kinh nghiệm về cải cách hành chính, xây dựng nông thôn mới và phát triển du lịch cộng đồng.
toàn cảnh sơn la làm việc tại điện biên.jpg
Toàn cảnh buổi làm việc giữa hai đoàn (Ảnh: Thu Hiền)
Những kết quả đạt được của thành phố là bài học quý để tỉnh Sơn La học tập, vận dụng phù hợp với thực tiễn.
Thu Hiền (Văn phòng Thành ủy)
"""

TONES = {"\u0300": 0, "\u0301": 1, "\u0309": 2, "\u0303": 3, "\u0323": 4}  # huyền sắc hỏi ngã nặng


def split(ch):
    """A Vietnamese letter → (base, quality mark or '', tone index or None)."""
    d = unicodedata.normalize("NFD", ch)
    base, quality, tone = d[0], "", None
    for m in d[1:]:
        if m in TONES:
            tone = TONES[m]
        else:
            quality += m
    return base, quality, tone


# ---- TCVN3: lower-case precomposed letters (capitals only for Ă Â Ê Ô Ơ Ư Đ).
TCVN3 = {
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
}
rows = {
    "a": [0xB5, 0xB8, 0xB6, 0xB7, 0xB9], "ă": [0xBB, 0xBE, 0xBC, 0xBD, 0xC6], "â": [0xC7, 0xCA, 0xC8, 0xC9, 0xCB],
    "e": [0xCC, 0xD0, 0xCE, 0xCF, 0xD1], "ê": [0xD2, 0xD5, 0xD3, 0xD4, 0xD6], "i": [0xD7, 0xDD, 0xD8, 0xDC, 0xDE],
    "o": [0xDF, 0xE3, 0xE1, 0xE2, 0xE4], "ô": [0xE5, 0xE8, 0xE6, 0xE7, 0xE9], "ơ": [0xEA, 0xED, 0xEB, 0xEC, 0xEE],
    "u": [0xEF, 0xF3, 0xF1, 0xF2, 0xF4], "ư": [0xF5, 0xF8, 0xF6, 0xF7, 0xF9], "y": [0xFA, 0xFD, 0xFB, 0xFC, 0xFE],
}
for v, codes in rows.items():
    for tone, code in enumerate(codes):
        TCVN3[unicodedata.normalize("NFC", unicodedata.normalize("NFD", v) + list(TONES)[tone])] = code


def tcvn3(text):
    out = bytearray()
    for ch in text:
        if ord(ch) < 0x80:
            out.append(ord(ch))
            continue
        lower = ch.lower()
        code = TCVN3.get(ch, TCVN3.get(lower))  # toned capitals are written with the lower-case code
        if code is None:
            raise ValueError(ch)
        out.append(code)
    return bytes(out)


# ---- VNI: base letter, then mark bytes (lower-case marks after lower-case letters, capital after capital).
VNI_TONE = [0xF8, 0xF9, 0xFB, 0xF5, 0xEF]            # huyền sắc hỏi ngã nặng
VNI_CIRC = [0xE0, 0xE1, 0xE5, 0xE3, 0xE4]            # â + tone
VNI_BREVE = [0xE8, 0xE9, 0xFA, 0xFC, 0xEB]           # ă + tone
VNI_I = {None: None, 0: 0xEC, 1: 0xED, 2: 0xE6, 3: 0xF3, 4: 0xF2}


def vni(text):
    out = bytearray()
    for ch in text:
        if ord(ch) < 0x80:
            out.append(ord(ch))
            continue
        base, quality, tone = split(ch)
        upper = base.isupper()
        low = lambda b: b - 0x20 if upper else b
        if ch in "đĐ":
            out.append(0xF1 if ch == "đ" else 0xD1)
            continue
        if base.lower() == "i" and not quality:
            out.append(low(VNI_I[tone]))
            continue
        if base.lower() == "y" and tone == 4:
            out.append(low(0xEE))
            continue
        if quality == "\u031b":  # horn: ơ ư are single bytes
            out.append(low({"o": 0xF4, "u": 0xF6}[base.lower()]))
            if tone is not None:
                out.append(low(VNI_TONE[tone]))
            continue
        out.append(ord(base))
        if quality == "\u0302":
            out.append(low(0xE2 if tone is None else VNI_CIRC[tone]))
        elif quality == "\u0306":
            out.append(low(0xEA if tone is None else VNI_BREVE[tone]))
        elif tone is not None:
            out.append(low(VNI_TONE[tone]))
    return bytes(out)


def cp1258(text):
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, quality, tone = split(ch)
        out += unicodedata.normalize("NFC", base + quality).encode("cp1258")
        out += list(TONES)[tone].encode("cp1258")
    return bytes(out)


open("article.utf8.txt", "w", encoding="utf-8").write(TEXT)
open("article.tcvn3.txt", "wb").write(tcvn3(TEXT))
open("article.vni.txt", "wb").write(vni(TEXT))
open("article.cp1258.txt", "wb").write(cp1258(TEXT))
