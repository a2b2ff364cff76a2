-- 0005: optional auto-delete of the bot's public replies (issue 12, item 9).

-- Minutes after which GigGuard deletes its own public replies in a channel (warning replies,
-- answers to questions, "message removed" notices); 0 keeps them (the default, as before).
ALTER TABLE guild_settings ADD COLUMN delete_replies_after_min INTEGER NOT NULL DEFAULT 0;

-- The bot's replies waiting to be deleted, so that a restart does not forget them. Only ids of
-- the bot's own messages and a time: nothing about a member.
CREATE TABLE reply_deletions (
    message_id INTEGER PRIMARY KEY,   -- the bot's reply
    guild_id   INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    due_at     INTEGER NOT NULL       -- unix seconds
);

CREATE INDEX reply_deletions_by_due ON reply_deletions (due_at);
CREATE INDEX reply_deletions_by_guild ON reply_deletions (guild_id);
