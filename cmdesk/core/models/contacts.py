"""CRM tables: organisations, contacts, their details, handles, lists, interactions, advocacy.

Imports no Qt.
"""

from __future__ import annotations

import peewee as pw

from cmdesk.core.models.base import BaseModel
from cmdesk.core.models.calendar import CalendarItem

CONTACT_STAGES = ("aware", "engaged", "advocate")
INTERACTION_KINDS = ("call", "meeting", "email", "event", "dm", "gift", "recognition", "note")
CONTRIBUTION_KINDS = ("talk", "post", "answer", "referral", "other")
HANDLE_NETWORKS = (
    "mastodon",
    "bluesky",
    "x",
    "reddit",
    "hackernews",
    "github",
    "stackexchange",
    "youtube",
    "linkedin",
    "rss",
)


class Organisation(BaseModel):
    name = pw.CharField(unique=True)
    website = pw.TextField(null=True)
    notes = pw.TextField(null=True)


class Contact(BaseModel):
    display_name = pw.CharField(index=True)
    given_name = pw.CharField(null=True)
    family_name = pw.CharField(null=True)
    photo = pw.BlobField(null=True)
    organisation = pw.ForeignKeyField(
        Organisation, null=True, on_delete="SET NULL", backref="contacts"
    )
    title = pw.CharField(null=True)
    location = pw.CharField(null=True)
    timezone = pw.CharField(null=True)  # IANA name
    stage = pw.CharField(default="aware")
    owner = pw.CharField(null=True)
    notes = pw.TextField(null=True)
    cadence_days = pw.IntegerField(null=True)  # keep in touch every N days
    snoozed_until = pw.IntegerField(null=True)
    last_interaction_at = pw.IntegerField(null=True, index=True)  # derived, kept up to date
    # Derived, kept up to date by the contacts services (schema 3): when keeping in touch is next
    # due (NULL without a cadence) and the influence score the list sorts by.
    due_at = pw.IntegerField(null=True)
    influence = pw.FloatField(null=True, index=True)
    created_at = pw.IntegerField()
    updated_at = pw.IntegerField()


Contact.add_index(
    Contact.index(Contact.due_at, name="contact_due_at").where(Contact.due_at.is_null(False))
)


class ContactDetail(BaseModel):
    """An e-mail address, phone number or website of a contact."""

    contact = pw.ForeignKeyField(Contact, on_delete="CASCADE", backref="details")
    kind = pw.CharField()  # "email", "phone", "website"
    value = pw.TextField()
    label = pw.CharField(null=True)  # "work", "home"...

    class Meta:
        indexes = ((("kind", "value"), False),)


class ContactHandle(BaseModel):
    """A contact's handle on a network; mentions' authors are linked through it."""

    contact = pw.ForeignKeyField(Contact, on_delete="CASCADE", backref="handles")
    network = pw.CharField()
    handle = pw.CharField()
    url = pw.TextField(null=True)
    reach = pw.IntegerField(null=True)

    class Meta:
        indexes = ((("network", "handle"), True),)


class ContactList(BaseModel):
    """A list or tag of contacts (influencer, advocate, press...) with an optional cadence."""

    name = pw.CharField(unique=True)
    color = pw.CharField(null=True)
    cadence_days = pw.IntegerField(null=True)
    position = pw.IntegerField(default=0)


class ContactListMember(BaseModel):
    contact = pw.ForeignKeyField(Contact, on_delete="CASCADE", backref="list_links", index=False)
    contact_list = pw.ForeignKeyField(
        ContactList, on_delete="CASCADE", backref="member_links", index=False
    )

    class Meta:
        primary_key = pw.CompositeKey("contact", "contact_list")
        indexes = ((("contact_list", "contact"), False),)


class Interaction(BaseModel):
    """A logged interaction with a contact: a call, a meeting, a gift..."""

    contact = pw.ForeignKeyField(Contact, on_delete="CASCADE", backref="interactions")
    kind = pw.CharField()
    occurred_at = pw.IntegerField()
    summary = pw.TextField(default="")
    notes = pw.TextField(null=True)
    calendar_item = pw.ForeignKeyField(
        CalendarItem, null=True, on_delete="SET NULL", backref="interactions"
    )

    class Meta:
        indexes = ((("contact", "occurred_at"), False),)


class Contribution(BaseModel):
    """Something an advocate did for the community, and how it was recognised."""

    contact = pw.ForeignKeyField(Contact, on_delete="CASCADE", backref="contributions")
    kind = pw.CharField()
    occurred_at = pw.IntegerField()
    description = pw.TextField(default="")
    url = pw.TextField(null=True)
    recognised_at = pw.IntegerField(null=True)
    recognition = pw.TextField(null=True)


class CalendarItemContact(BaseModel):
    """A contact taking part in a calendar item: guest author, speaker, influencer..."""

    item = pw.ForeignKeyField(CalendarItem, on_delete="CASCADE", backref="contact_links")
    contact = pw.ForeignKeyField(Contact, on_delete="CASCADE", backref="item_links")
    role = pw.CharField(default="")

    class Meta:
        primary_key = pw.CompositeKey("item", "contact")
