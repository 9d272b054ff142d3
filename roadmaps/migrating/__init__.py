"""Bringing the old Next.js site's content in (`manage.py import_roadmapfinder`).

`javascript` reads literal data out of JS/JSX with tree-sitter; `phases` and `items` read the
site's free-text conventions (levels in subtitles, "Title → summary" items); `roadmap`, `extras`
and `repository` map a checkout to content documents; `courses` normalizes the course list;
`run` writes content files and imports them through `roadmaps.content`.
"""
