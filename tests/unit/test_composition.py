"""The application is composed of one mixin per area; their names must not clash."""

from __future__ import annotations

from collections import defaultdict

from events.application import Wolfpack
from events.core import Core


def test_no_two_use_case_mixins_define_the_same_name():
    owners = defaultdict(list)
    for mixin in Wolfpack.__mro__:
        if mixin in (Wolfpack, Core) or not issubclass(mixin, Core):
            continue
        for name in vars(mixin):
            # The library gives every Application subclass its own ``name``.
            if not name.startswith("__") and name != "name":
                owners[name].append(mixin.__name__)
    clashes = {name: classes for name, classes in owners.items() if len(classes) > 1}
    assert clashes == {}
