"""Output schema of `GET /api/v1/me` (`accounts/api.py`)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class MeOut(Schema):
    """The signed-in learner. Only the learner themself ever sees this."""

    username: str = Field(examples=["ada"])
    display_name: str = Field(
        description="Shown on the public profile; may be empty.", examples=["Ada Lovelace"]
    )
    email: str = Field(examples=["ada@example.com"])
    preferred_language: str = Field(
        description="ISO 639-1 code of the preferred resource language; empty for all.",
        examples=["hi"],
    )
    is_profile_public: bool = Field(
        description="Whether /u/<username>/ shows this learner's progress.", examples=[False]
    )
    is_editor: bool = Field(
        description="Editors also see draft roadmaps and links found broken.", examples=[False]
    )
    date_joined: datetime = Field(examples=["2026-01-10T08:00:00Z"])
    progress_url: str = Field(
        description="This learner's progress in the API (absolute URL).",
        examples=["https://roadmapfinder.example/api/v1/me/progress"],
    )
