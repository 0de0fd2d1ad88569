#!/usr/bin/env python3
"""Vietnamese text for bench/web/search_bench.cc: the seed article and the shared saved articles' titles,
captions and paragraphs (text inside <p>, <figcaption>, <h1>), one paragraph a line, on stdout.
   search_corpus.py SHARED_DIR"""
import glob
import html.parser
import json
import sys

shared = sys.argv[1] if len(sys.argv) > 1 else "/work/shared"


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = 0
        self.buf = []
        self.out = []

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "figcaption", "h1"):
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in ("p", "figcaption", "h1") and self.depth:
            self.depth -= 1
            line = " ".join("".join(self.buf).split())
            if len(line.split()) >= 4:
                self.out.append(line)
            self.buf = []

    def handle_data(self, data):
        if self.depth:
            self.buf.append(data)


lines = []
for path in sorted(glob.glob(shared + "/seed/*.txt")):
    lines += [" ".join(l.split()) for l in open(path, encoding="utf-8", errors="replace") if len(l.split()) >= 4]
for path in sorted(glob.glob(shared + "/articles-html/*.html")):
    p = Text()
    p.feed(open(path, encoding="utf-8", errors="replace").read())
    lines += p.out
for path in sorted(glob.glob(shared + "/articles-html/*.expected.json")):
    d = json.load(open(path, encoding="utf-8"))
    lines.append(d["title"])
    lines += [ph["caption"] for ph in d.get("photos", []) if ph.get("caption")]
print("\n".join(l for l in lines if l))
