"""A synthetic checkout of the old Next.js site, in its file shapes but with invented content
(the real repository has no licence, so none of its text is copied here)."""

from __future__ import annotations

from pathlib import Path

ROADMAP_DATA = """\
import { FaLeaf } from "react-icons/fa";

export const roadmapData = [
  {
    id: 0,
    title: "Phase 0: Groundwork",
    subtitle: "Mandatory Prerequisites",
    description: "What to know before starting",
    color: "from-green-500 to-lime-500",
    icon: <FaLeaf />,
    sections: [
      {
        title: "Tools of the trade",
        items: ["Editors → Choosing one and learning its keys", "Terminals"],
        proTip: "Practise a little every day",
      },
    ],
  },
  {
    id: 1,
    title: "Phase 1: Gardening Basics",
    subtitle: "Beginner Level (0-2 Months)",
    description: "Soil, seeds and water",
    sections: [
      {
        title: "Soil",
        items: [
          "Loam → Sand, silt and clay → in balance",
          "Compost",
          "Project: Build a raised bed",
          "Goal: Grow one herb",
        ],
      },
    ],
  },
];
"""

DOCS = """\
export default function Docs() {
  const docs = [
    { title: "Seed library", description: "Where seeds live",
      url: "https://seeds.example.org/", citation: "Seed Society" },
    { title: "Watering video", url: "https://www.youtube.com/watch?v=abc123" },
  ];
  return <ul>{docs.map((d) => <li key={d.url}>{d.title}</li>)}</ul>;
}
"""

FAQ = """\
const faqs = [
  { question: "How long does it take?", answer: "About three months." },
  { question: "Do I need a garden?", answer: "A balcony is enough.", category: "Space" },
];
export default faqs;
"""

PROJECTS = """\
export const projects = [
  { title: "Herb spiral", description: "A small spiral bed", skills: ["soil"] },
];
"""

PAGE = """\
import Faq from "./Faq";
export default function Page() {
  return (
    <main>
      <h1>Gardening Roadmap <span>(2031 Edition)</span></h1>
      <section><h2>Congratulations! You are a gardener!</h2></section>
    </main>
  );
}
"""

CATALOG = """\
export const roadmapsData = [
  { id: 1, title: "Gardening Roadmap", description: "Grow things at home.", category: "Outdoors",
    link: "/Roadmaps/Gardening", tags: ["soil"], icon: <span />, trending: true },
];
"""

COURSES = """\
{
  "categories": ["gardening", "cooking"],
  "courses": [
    {"id": 1, "category": "gardening", "title": "Gardening in one hour", "level": "Beginner",
     "rating": 4.5, "image": "/x.png", "videoId": "https://www.youtube.com/watch?v=g1",
     "badge": "New", "language": "Hindi", "docs": "https://docs.example.org/"}
  ]
}
"""

FILES = {
    "app/Roadmaps/Gardening/roadmapData.js": ROADMAP_DATA,
    "app/Roadmaps/Gardening/docs.jsx": DOCS,
    "app/Roadmaps/Gardening/Faq.jsx": FAQ,
    "app/Roadmaps/Gardening/projects.jsx": PROJECTS,
    "app/Roadmaps/Gardening/page.jsx": PAGE,
    "app/RoadmapPage/roadmapsData.js": CATALOG,
    "app/Courses/coursesData.json": COURSES,
}


def site_repository(root: Path, **files: str | None) -> Path:
    """Write the fixture checkout under `root`; `files` replace (or, with None, leave out) the
    default files by path."""
    contents = {**FILES, **files}
    for relative, text in contents.items():
        if text is None:
            continue
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
