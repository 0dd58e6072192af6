"""Schema version 1: every table of the first release, its indexes and the mention full-text index.

Written out as literal SQL, not generated from the models, so that this step stays what it was
when later versions change the models. Imports no Qt.
"""

from __future__ import annotations

import peewee as pw

VERSION = 1

TABLES = (
    'CREATE TABLE "query" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "kind" VARCHAR(255) NOT NULL, "expression" TEXT NOT NULL, "language" VARCHAR(255), "enabled" INTEGER NOT NULL, "position" INTEGER NOT NULL, "color" VARCHAR(255), "created_at" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX "query_name" ON "query" ("name")',
    'CREATE TABLE "rule" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "position" INTEGER NOT NULL, "enabled" INTEGER NOT NULL, "conditions" TEXT NOT NULL, "actions" TEXT NOT NULL, "created_at" INTEGER NOT NULL, "last_error" TEXT)',
    'CREATE TABLE "source" ("id" INTEGER NOT NULL PRIMARY KEY, "kind" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "url" TEXT NOT NULL, "site_url" TEXT, "folder" VARCHAR(255), "config" TEXT, "account" VARCHAR(255), "all_items_are_mentions" INTEGER NOT NULL, "enabled" INTEGER NOT NULL, "disabled_reason" TEXT, "interval_minutes" INTEGER NOT NULL, "etag" TEXT, "last_modified" TEXT, "last_fetch_at" INTEGER, "last_success_at" INTEGER, "last_error" TEXT, "consecutive_failures" INTEGER NOT NULL, "next_fetch_at" INTEGER, "items_seen" INTEGER NOT NULL, "created_at" INTEGER NOT NULL)',
    'CREATE TABLE "organisation" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "website" TEXT, "notes" TEXT)',
    'CREATE UNIQUE INDEX "organisation_name" ON "organisation" ("name")',
    'CREATE TABLE "contact" ("id" INTEGER NOT NULL PRIMARY KEY, "display_name" VARCHAR(255) NOT NULL, "given_name" VARCHAR(255), "family_name" VARCHAR(255), "photo" BLOB, "organisation_id" INTEGER, "title" VARCHAR(255), "location" VARCHAR(255), "timezone" VARCHAR(255), "stage" VARCHAR(255) NOT NULL, "owner" VARCHAR(255), "notes" TEXT, "cadence_days" INTEGER, "snoozed_until" INTEGER, "last_interaction_at" INTEGER, "created_at" INTEGER NOT NULL, "updated_at" INTEGER NOT NULL, FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "contact_display_name" ON "contact" ("display_name")',
    'CREATE INDEX "contact_organisation_id" ON "contact" ("organisation_id")',
    'CREATE INDEX "contact_last_interaction_at" ON "contact" ("last_interaction_at")',
    'CREATE TABLE "author" ("id" INTEGER NOT NULL PRIMARY KEY, "network" VARCHAR(255) NOT NULL, "handle" VARCHAR(255) NOT NULL, "name" VARCHAR(255), "url" TEXT, "reach" INTEGER, "contact_id" INTEGER, "first_seen_at" INTEGER NOT NULL, FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "author_contact_id" ON "author" ("contact_id")',
    'CREATE UNIQUE INDEX "author_network_handle" ON "author" ("network", "handle")',
    'CREATE TABLE "teammate" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "email" VARCHAR(255), "is_me" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX "teammate_name" ON "teammate" ("name")',
    'CREATE TABLE "department" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "email" VARCHAR(255), "position" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX "department_name" ON "department" ("name")',
    'CREATE TABLE "mention" ("id" INTEGER NOT NULL PRIMARY KEY, "source_id" INTEGER NOT NULL, "external_id" TEXT NOT NULL, "url" TEXT, "canonical_url" TEXT, "title" TEXT NOT NULL, "text" TEXT NOT NULL, "html" TEXT, "author_id" INTEGER, "author_name" VARCHAR(255), "author_handle" VARCHAR(255), "published_at" INTEGER NOT NULL, "fetched_at" INTEGER NOT NULL, "lang" VARCHAR(255), "sentiment" REAL, "sentiment_label" VARCHAR(255), "likes" INTEGER, "replies" INTEGER, "shares" INTEGER, "score" INTEGER, "views" INTEGER, "reach" INTEGER, "thread_url" TEXT, "raw" TEXT, "state" VARCHAR(255) NOT NULL, "starred" INTEGER NOT NULL, "priority" INTEGER NOT NULL, "assignee_id" INTEGER, "department_id" INTEGER, "routing_note" TEXT, "needs_response" INTEGER NOT NULL, "responded_at" INTEGER, "responded_by" VARCHAR(255), "updated_at" INTEGER, FOREIGN KEY ("source_id") REFERENCES "source" ("id") ON DELETE CASCADE, FOREIGN KEY ("author_id") REFERENCES "author" ("id") ON DELETE SET NULL, FOREIGN KEY ("assignee_id") REFERENCES "teammate" ("id") ON DELETE SET NULL, FOREIGN KEY ("department_id") REFERENCES "department" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "mention_canonical_url" ON "mention" ("canonical_url")',
    'CREATE UNIQUE INDEX "mention_source_id_external_id" ON "mention" ("source_id", "external_id")',
    'CREATE INDEX "mention_state_id" ON "mention" ("state", "id")',
    'CREATE INDEX "mention_source_id_id" ON "mention" ("source_id", "id")',
    'CREATE INDEX "mention_sentiment_label_id" ON "mention" ("sentiment_label", "id")',
    'CREATE INDEX "mention_assignee_id_id" ON "mention" ("assignee_id", "id")',
    'CREATE INDEX "mention_department_id_id" ON "mention" ("department_id", "id")',
    'CREATE INDEX "mention_author_id_id" ON "mention" ("author_id", "id")',
    'CREATE INDEX "mention_lang_id" ON "mention" ("lang", "id")',
    'CREATE INDEX "mention_published_at" ON "mention" ("published_at")',
    'CREATE TABLE "alert" ("id" INTEGER NOT NULL PRIMARY KEY, "kind" VARCHAR(255) NOT NULL, "title" TEXT NOT NULL, "detail" TEXT, "query_id" INTEGER, "rule_id" INTEGER, "mention_id" INTEGER, "created_at" INTEGER NOT NULL, "acknowledged_at" INTEGER, FOREIGN KEY ("query_id") REFERENCES "query" ("id") ON DELETE SET NULL, FOREIGN KEY ("rule_id") REFERENCES "rule" ("id") ON DELETE SET NULL, FOREIGN KEY ("mention_id") REFERENCES "mention" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "alert_query_id" ON "alert" ("query_id")',
    'CREATE INDEX "alert_rule_id" ON "alert" ("rule_id")',
    'CREATE INDEX "alert_mention_id" ON "alert" ("mention_id")',
    'CREATE INDEX "alert_created_at" ON "alert" ("created_at")',
    'CREATE TABLE "campaign" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "starts_on" DATE, "ends_on" DATE, "goals" TEXT, "color" VARCHAR(255), "notes" TEXT)',
    'CREATE UNIQUE INDEX "campaign_name" ON "campaign" ("name")',
    'CREATE TABLE "calendar_item" ("id" INTEGER NOT NULL PRIMARY KEY, "title" TEXT NOT NULL, "item_type" VARCHAR(255) NOT NULL, "channels" TEXT NOT NULL, "status" VARCHAR(255) NOT NULL, "owner" VARCHAR(255), "starts_at" INTEGER, "duration_minutes" INTEGER NOT NULL, "all_day" INTEGER NOT NULL, "timezone" VARCHAR(255) NOT NULL, "campaign_id" INTEGER, "tags" TEXT NOT NULL, "brief" TEXT, "published_url" TEXT, "location" TEXT, "travel_starts_on" DATE, "travel_ends_on" DATE, "rrule" TEXT, "exdates" TEXT, "recurrence_parent_id" INTEGER, "recurrence_id" INTEGER, "uid" VARCHAR(255), "reminder_minutes" INTEGER, "created_at" INTEGER NOT NULL, "updated_at" INTEGER NOT NULL, FOREIGN KEY ("campaign_id") REFERENCES "campaign" ("id") ON DELETE SET NULL, FOREIGN KEY ("recurrence_parent_id") REFERENCES "calendar_item" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "calendar_item_campaign_id" ON "calendar_item" ("campaign_id")',
    'CREATE INDEX "calendar_item_recurrence_parent_id" ON "calendar_item" ("recurrence_parent_id")',
    'CREATE UNIQUE INDEX "calendar_item_uid" ON "calendar_item" ("uid")',
    'CREATE INDEX "calendar_item_starts_at" ON "calendar_item" ("starts_at")',
    'CREATE INDEX "calendar_item_status_starts_at" ON "calendar_item" ("status", "starts_at")',
    'CREATE INDEX "calendar_item_published_url" ON "calendar_item" ("published_url")',
    'CREATE TABLE "calendar_item_contact" ("item_id" INTEGER NOT NULL, "contact_id" INTEGER NOT NULL, "role" VARCHAR(255) NOT NULL, PRIMARY KEY ("item_id", "contact_id"), FOREIGN KEY ("item_id") REFERENCES "calendar_item" ("id") ON DELETE CASCADE, FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "calendar_item_contact_item_id" ON "calendar_item_contact" ("item_id")',
    'CREATE INDEX "calendar_item_contact_contact_id" ON "calendar_item_contact" ("contact_id")',
    'CREATE TABLE "canned_response" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "body" TEXT NOT NULL)',
    'CREATE UNIQUE INDEX "canned_response_name" ON "canned_response" ("name")',
    'CREATE TABLE "contact_detail" ("id" INTEGER NOT NULL PRIMARY KEY, "contact_id" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL, "value" TEXT NOT NULL, "label" VARCHAR(255), FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "contact_detail_contact_id" ON "contact_detail" ("contact_id")',
    'CREATE INDEX "contact_detail_kind_value" ON "contact_detail" ("kind", "value")',
    'CREATE TABLE "contact_handle" ("id" INTEGER NOT NULL PRIMARY KEY, "contact_id" INTEGER NOT NULL, "network" VARCHAR(255) NOT NULL, "handle" VARCHAR(255) NOT NULL, "url" TEXT, "reach" INTEGER, FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "contact_handle_contact_id" ON "contact_handle" ("contact_id")',
    'CREATE UNIQUE INDEX "contact_handle_network_handle" ON "contact_handle" ("network", "handle")',
    'CREATE TABLE "contact_list" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "color" VARCHAR(255), "cadence_days" INTEGER, "position" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX "contact_list_name" ON "contact_list" ("name")',
    'CREATE TABLE "contact_list_member" ("contact_id" INTEGER NOT NULL, "contact_list_id" INTEGER NOT NULL, PRIMARY KEY ("contact_id", "contact_list_id"), FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE CASCADE, FOREIGN KEY ("contact_list_id") REFERENCES "contact_list" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "contact_list_member_contact_list_id_contact_id" ON "contact_list_member" ("contact_list_id", "contact_id")',
    'CREATE TABLE "contribution" ("id" INTEGER NOT NULL PRIMARY KEY, "contact_id" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL, "occurred_at" INTEGER NOT NULL, "description" TEXT NOT NULL, "url" TEXT, "recognised_at" INTEGER, "recognition" TEXT, FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "contribution_contact_id" ON "contribution" ("contact_id")',
    'CREATE TABLE "interaction" ("id" INTEGER NOT NULL PRIMARY KEY, "contact_id" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL, "occurred_at" INTEGER NOT NULL, "summary" TEXT NOT NULL, "notes" TEXT, "calendar_item_id" INTEGER, FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE CASCADE, FOREIGN KEY ("calendar_item_id") REFERENCES "calendar_item" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "interaction_contact_id" ON "interaction" ("contact_id")',
    'CREATE INDEX "interaction_calendar_item_id" ON "interaction" ("calendar_item_id")',
    'CREATE INDEX "interaction_contact_id_occurred_at" ON "interaction" ("contact_id", "occurred_at")',
    'CREATE TABLE "mention_note" ("id" INTEGER NOT NULL PRIMARY KEY, "mention_id" INTEGER NOT NULL, "author" VARCHAR(255) NOT NULL, "body" TEXT NOT NULL, "created_at" INTEGER NOT NULL, FOREIGN KEY ("mention_id") REFERENCES "mention" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "mention_note_mention_id" ON "mention_note" ("mention_id")',
    'CREATE TABLE "mention_query" ("mention_id" INTEGER NOT NULL, "query_id" INTEGER NOT NULL, PRIMARY KEY ("mention_id", "query_id"), FOREIGN KEY ("mention_id") REFERENCES "mention" ("id") ON DELETE CASCADE, FOREIGN KEY ("query_id") REFERENCES "query" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "mention_query_query_id_mention_id" ON "mention_query" ("query_id", "mention_id")',
    'CREATE TABLE "tag" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "color" VARCHAR(255))',
    'CREATE UNIQUE INDEX "tag_name" ON "tag" ("name")',
    'CREATE TABLE "mention_tag" ("mention_id" INTEGER NOT NULL, "tag_id" INTEGER NOT NULL, PRIMARY KEY ("mention_id", "tag_id"), FOREIGN KEY ("mention_id") REFERENCES "mention" ("id") ON DELETE CASCADE, FOREIGN KEY ("tag_id") REFERENCES "tag" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "mention_tag_tag_id_mention_id" ON "mention_tag" ("tag_id", "mention_id")',
    'CREATE TABLE "query_source" ("id" INTEGER NOT NULL PRIMARY KEY, "query_id" INTEGER NOT NULL, "source_id" INTEGER NOT NULL, FOREIGN KEY ("query_id") REFERENCES "query" ("id") ON DELETE CASCADE, FOREIGN KEY ("source_id") REFERENCES "source" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "query_source_query_id" ON "query_source" ("query_id")',
    'CREATE INDEX "query_source_source_id" ON "query_source" ("source_id")',
    'CREATE UNIQUE INDEX "query_source_query_id_source_id" ON "query_source" ("query_id", "source_id")',
    'CREATE TABLE "report_template" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "config" TEXT NOT NULL, "created_at" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX "report_template_name" ON "report_template" ("name")',
    'CREATE TABLE "report" ("id" INTEGER NOT NULL PRIMARY KEY, "template_id" INTEGER, "title" TEXT NOT NULL, "period_from" DATE NOT NULL, "period_to" DATE NOT NULL, "suggestions" TEXT NOT NULL, "created_at" INTEGER NOT NULL, FOREIGN KEY ("template_id") REFERENCES "report_template" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "report_template_id" ON "report" ("template_id")',
    'CREATE TABLE "report_goal" ("id" INTEGER NOT NULL PRIMARY KEY, "metric" VARCHAR(255) NOT NULL, "period" VARCHAR(255) NOT NULL, "target" REAL NOT NULL, "query_id" INTEGER, FOREIGN KEY ("query_id") REFERENCES "query" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "report_goal_query_id" ON "report_goal" ("query_id")',
    'CREATE TABLE "saved_view" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "position" INTEGER NOT NULL, "filters" TEXT NOT NULL)',
    'CREATE TABLE "workspace_setting" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "value" TEXT)',
)

# Full-text index over mention title and text: external content, kept in sync by triggers.
# ``remove_diacritics 2`` lets "cafe" find "café".
FTS = (
    """CREATE VIRTUAL TABLE mention_fts USING fts5(
        title, text, content='mention', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
)


def apply(db: pw.Database) -> None:
    for statement in TABLES + FTS:
        db.execute_sql(statement)
