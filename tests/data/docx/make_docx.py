#!/usr/bin/python3
# Makes bai-3-anh.docx: a Word article with a title, a date line, three embedded photos each followed by
# its caption (italic, centred, as newsrooms type them), a credit, and the author line. Run from this
# folder: /usr/bin/python3 make_docx.py  (needs python3-docx and ImageMagick's `convert`, both Debian).
import os
import subprocess
import tempfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

photos = [
    ("red", "Đồng chí Bí thư Tỉnh ủy phát biểu tại buổi làm việc."),
    ("green", "Toàn cảnh buổi làm việc tại phòng họp UBND thành phố. (Ảnh: Thu Hiền)"),
    ("blue", "Đoàn công tác thăm phòng truyền thống Thành ủy."),
]

with tempfile.TemporaryDirectory() as tmp:
    doc = Document()
    doc.add_heading("Đoàn công tác tỉnh Sơn La thăm và làm việc tại Thanh Hóa", 0)
    doc.add_paragraph("Ngày 18/11/2020")
    doc.add_paragraph("Sáng 18/11, đoàn công tác tỉnh Sơn La do đồng chí Bí thư Tỉnh ủy dẫn đầu đã đến thăm và "
                      "làm việc tại thành phố Thanh Hóa, trao đổi kinh nghiệm về cải cách hành chính.")
    for i, (colour, caption) in enumerate(photos):
        img = os.path.join(tmp, f"{colour}.jpg")
        subprocess.run(["convert", "-size", "64x48", f"xc:{colour}", "-quality", "80", img], check=True)
        doc.add_picture(img, width=Cm(8))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(caption).italic = True
        if i == 0:
            doc.add_paragraph("Ảnh: Minh Anh")
        doc.add_paragraph("Hai bên đã trao đổi về kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội, "
                          "công tác xây dựng Đảng và hệ thống chính trị trong năm qua.")
    doc.add_paragraph("Thu Hiền (Văn phòng Thành ủy)")
    doc.save("bai-3-anh.docx")
