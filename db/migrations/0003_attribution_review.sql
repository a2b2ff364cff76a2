-- 0003: attribution (every rule of a warning, per topic and rule stats) and the review queue.

-- Every rule id of a warning's findings (JSON array). Rows from before 0003 keep '[]' and are
-- read as their single rule_id; rule_id stays the first (primary) rule.
ALTER TABLE warnings ADD COLUMN rule_ids TEXT NOT NULL DEFAULT '[]';
-- The message text with contact details masked, kept only while the server opted in to
-- labelled training data (guild_settings.training_data); NULL otherwise.
ALTER TABLE warnings ADD COLUMN training_text TEXT;

-- Opt-in (off by default): keep masked message text of decided detections for retraining.
ALTER TABLE guild_settings ADD COLUMN training_data INTEGER NOT NULL DEFAULT 0;

-- Detections the model was not sure enough about to warn: a moderator confirms or dismisses.
CREATE TABLE review_items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    platform    TEXT    NOT NULL,
    topic       TEXT,
    phase       TEXT,                          -- before | after the order, when the text says so
    rule_ids    TEXT    NOT NULL DEFAULT '[]', -- JSON array
    snippet     TEXT    NOT NULL DEFAULT '',   -- masked findings only
    confidence  REAL    NOT NULL,
    reason      TEXT    NOT NULL DEFAULT '',   -- the detector's one line (contacts masked)
    text        TEXT,                          -- masked message text, only with training_data on
    created_at  INTEGER NOT NULL,
    decision    TEXT,                          -- NULL (open) | confirmed | dismissed
    decided_by  INTEGER,                       -- the moderator
    decided_at  INTEGER,
    warning_id  INTEGER,                       -- the warning a Confirm recorded
    UNIQUE (guild_id, message_id)              -- one message is reviewed once
);

CREATE INDEX review_items_by_member ON review_items (guild_id, user_id);
CREATE INDEX review_items_by_time ON review_items (decided_at, created_at);

-- weekly_stats gains a scope: each event is counted once per topic ('topic', key
-- "platform.topic") and once per rule id ('rule'). Old counters were per rule only: they stay
-- rule counters, and one topic row with key '' (topic not recorded) keeps each week's totals.
CREATE TABLE weekly_stats_0003 (
    guild_id   INTEGER NOT NULL,
    week_start INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    scope      TEXT    NOT NULL,  -- rule | topic
    key        TEXT    NOT NULL,
    count      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, week_start, kind, scope, key)
);

INSERT INTO weekly_stats_0003 (guild_id, week_start, kind, scope, key, count)
SELECT guild_id, week_start, kind, CASE WHEN kind = 'answer' THEN 'topic' ELSE 'rule' END, key, count
FROM weekly_stats;

INSERT INTO weekly_stats_0003 (guild_id, week_start, kind, scope, key, count)
SELECT guild_id, week_start, kind, 'topic', '', SUM(count)
FROM weekly_stats WHERE kind != 'answer'
GROUP BY guild_id, week_start, kind;

DROP TABLE weekly_stats;
ALTER TABLE weekly_stats_0003 RENAME TO weekly_stats;
