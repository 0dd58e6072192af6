"""Organisations as records: listed with their people counts, searched, edited."""

from __future__ import annotations

import pytest
from test_contacts import create

from cmdesk.core.db import Workspace
from cmdesk.core.services import contacts_organisations as orgs
from cmdesk.core.services.contacts import ContactError


def test_organisations_with_people_search_and_edit(workspace: Workspace) -> None:
    ws = workspace
    for name, org in (("Ada", "Engines"), ("Charles", "Engines"), ("Grace", "Navy")):
        create(ws, display_name=name, organisation=org)
    rows = orgs.organisations(ws)
    assert [(r.name, r.people) for r in rows] == [("Engines", 2), ("Navy", 1)]
    assert [r.name for r in orgs.organisations(ws, "av")] == ["Navy"]
    engines = rows[0].id
    ws.write(orgs.update_organisation, ws, engines, "Analytical Engines",
             "https://engines.example", "Babbage's firm").result()  # fmt: skip
    row = orgs.organisation(ws, engines)
    assert row is not None and (row.name, row.website, row.notes, row.people) == (
        "Analytical Engines", "https://engines.example", "Babbage's firm", 2)  # fmt: skip
    with pytest.raises(ContactError, match="already an organisation"):
        ws.write(orgs.update_organisation, ws, engines, "Navy", None, None).result()
    assert [n for _, n in orgs.organisation_names(ws)] == ["Analytical Engines", "Navy"]
