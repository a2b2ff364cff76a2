-- 0001: warnings and per-server settings.
-- Times are unix seconds (UTC). Id lists are JSON arrays of integers, platform lists JSON arrays
-- of pack ids. Enumerations (status, reply_mode) are checked in db/ rather than with CHECK
-- constraints, so a later migration can add a value without rebuilding the table.

CREATE TABLE guild_settings (
    guild_id              INTEGER PRIMARY KEY,
    platforms             TEXT,                         -- JSON array; NULL = the bot's DEFAULT_PLATFORMS
    reply_mode            TEXT    NOT NULL DEFAULT 'reply',
    reply_cooldown_s      INTEGER NOT NULL DEFAULT 60,  -- per member
    ask_cooldown_s        INTEGER NOT NULL DEFAULT 600, -- per topic per channel
    exempt_role_ids       TEXT    NOT NULL DEFAULT '[]',
    exempt_channel_ids    TEXT    NOT NULL DEFAULT '[]',
    exempt_moderators     INTEGER NOT NULL DEFAULT 1,   -- members with Manage Messages are skipped
    modlog_channel_id     INTEGER,
    warning_lifetime_days INTEGER NOT NULL DEFAULT 90,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);

CREATE TABLE warnings (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id      INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    channel_id    INTEGER NOT NULL,
    message_id    INTEGER NOT NULL,
    rule_id       TEXT    NOT NULL,
    platform      TEXT    NOT NULL,
    topic         TEXT,
    snippet       TEXT    NOT NULL DEFAULT '',  -- masked findings only, never the message
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER,                      -- NULL = never expires
    status        TEXT    NOT NULL DEFAULT 'active',  -- active | pardoned | dismissed
    status_by     INTEGER,                      -- moderator who changed the status
    status_reason TEXT,
    status_at     INTEGER,
    UNIQUE (guild_id, message_id)               -- one message is never warned twice
);

CREATE INDEX warnings_by_member ON warnings (guild_id, user_id, status, expires_at);
CREATE INDEX warnings_by_expiry ON warnings (expires_at);
