-- 0002: the moderator toolkit (escalation, shadow mode, review loop, stats, retention, departures).

ALTER TABLE guild_settings ADD COLUMN delete_contact_messages INTEGER NOT NULL DEFAULT 0;
ALTER TABLE guild_settings ADD COLUMN escalation_ping_at      INTEGER NOT NULL DEFAULT 2;  -- 0 = never
ALTER TABLE guild_settings ADD COLUMN escalation_timeout_at   INTEGER NOT NULL DEFAULT 3;  -- 0 = never
ALTER TABLE guild_settings ADD COLUMN timeout_minutes         INTEGER NOT NULL DEFAULT 0;  -- 0 = timeouts off
ALTER TABLE guild_settings ADD COLUMN modlog_ping_role_id     INTEGER;
ALTER TABLE guild_settings ADD COLUMN shadow_rules            TEXT    NOT NULL DEFAULT '[]';  -- rule or topic ids
ALTER TABLE guild_settings ADD COLUMN shadow_platforms        TEXT    NOT NULL DEFAULT '[]';  -- pack ids
ALTER TABLE guild_settings ADD COLUMN retention_days          INTEGER NOT NULL DEFAULT 180;

-- Set once when the warned member presses "I think this is wrong".
ALTER TABLE warnings ADD COLUMN review_requested_at INTEGER;

CREATE INDEX warnings_by_status_time ON warnings (status, status_at);

-- Counters per server, week and rule/topic. No member ids: they survive /gigguard forget.
-- kind: warning | dismissal | answer | shadow | review_request
CREATE TABLE weekly_stats (
    guild_id   INTEGER NOT NULL,
    week_start INTEGER NOT NULL,  -- unix seconds of Monday 00:00 UTC
    kind       TEXT    NOT NULL,
    key        TEXT    NOT NULL,  -- rule id (warnings, dismissals...) or topic id (answers)
    count      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, week_start, kind, key)
);

-- Servers that removed the bot: their data is purged 30 days later unless they come back.
CREATE TABLE guild_departures (
    guild_id INTEGER PRIMARY KEY,
    left_at  INTEGER NOT NULL
);
