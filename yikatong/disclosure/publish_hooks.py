"""What disclosure hands to rosters (rosters.hooks): the batch's latest published list for the printed sheet."""
from django.urls import reverse

from . import publish_selectors


def published_list(batch):
    """(public path, SHA-256 digest) of the batch's latest published list, or None."""
    pl = publish_selectors.latest_for_batch(batch)
    if pl is None:
        return None
    return reverse("public_list_detail", args=[pl.public_id]), pl.digest
