"""A curator's review of machine-made claims before they are published.

    selection = select(curated, ingested, publish_unreviewed)   # what the build publishes, and what it says
    pending(selection)                                         # the candidates `hrgraph review` proposes
    decide(curated_dir, candidate, "accepted" | "edited" | "rejected", by=..., changes=..., reason=...)

Decisions live in data/curated/reviews.yaml (decisions.py): an accepted or edited candidate is a curated claim or
event there, with who reviewed it and when; a rejected one is listed under `rejected:` by its key (a hash of what
it says), so it is not proposed again.
"""

from hrgraph.pipeline.review.candidates import Selection, pending, select
from hrgraph.pipeline.review.decisions import REVIEWS_FILE, decide

__all__ = ["REVIEWS_FILE", "Selection", "decide", "pending", "select"]
