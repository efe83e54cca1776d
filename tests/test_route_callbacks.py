"""The ИОМ's and the internships' buttons: the longest fits Telegram's 64 bytes, and a button sent
before the factories gained their trailing fields (under an old reminder) still opens."""

from __future__ import annotations

import pytest

from domain.route import ItemKind
from handlers.callbacks import ID_MAX, RouteAction, RouteCb, SiteAction, SiteCb


@pytest.mark.parametrize(
    "data",
    [
        RouteCb(
            action=RouteAction.ADD_ITEM,
            route_id=ID_MAX,
            area="communicative",
            kind=ItemKind.INTERNSHIP,
            entry_id=ID_MAX,
        ),
        RouteCb(
            action=RouteAction.ADD_ITEM, route_id=ID_MAX, area="communicative", kind=ItemKind.SELF_EDUCATION
        ),
        RouteCb(action=RouteAction.DONE, route_id=ID_MAX, item_id=ID_MAX, page=ID_MAX),
        RouteCb(action=RouteAction.SUBMIT, route_id=ID_MAX),
        SiteCb(action=SiteAction.CANCEL, site_id=ID_MAX, area="communicative", municipality_id=ID_MAX),
        SiteCb(action=SiteAction.PLACES, area="communicative", municipality_id=ID_MAX, page=ID_MAX),
    ],
)
def test_the_longest_buttons_fit(data: RouteCb | SiteCb) -> None:
    packed = data.pack()
    assert len(packed.encode()) <= 64, packed
    assert type(data).unpack(packed) == data


def test_buttons_of_the_earlier_layout_still_unpack() -> None:
    assert RouteCb.unpack("rt:item:12:34:1:") == RouteCb(
        action=RouteAction.ITEM, route_id=12, item_id=34, page=1
    )
    assert RouteCb.unpack("rt:view:12:0:0:") == RouteCb(action=RouteAction.VIEW, route_id=12)
    assert SiteCb.unpack("st:card:7::0") == SiteCb(action=SiteAction.CARD, site_id=7)


@pytest.mark.parametrize(
    "data",
    [
        "rt:item:12:34:1::::",  # too many fields
        "rt:addp:1:0:0:subject:mentoring:0",  # no such kind
        "rt:nope:1:0:0::",  # no such action
        f"rt:item:{ID_MAX + 1}:0:0:",
        "st:card:x::0",
    ],
)
def test_anything_else_does_not_unpack(data: str) -> None:
    factory = RouteCb if data.startswith("rt:") else SiteCb
    with pytest.raises((TypeError, ValueError)):
        factory.unpack(data)
