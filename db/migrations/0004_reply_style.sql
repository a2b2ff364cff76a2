-- 0004: compact warning replies and answers (issue 12, part 9).

-- full: the policy embed in public (the default, as before) · compact: one short line in public
-- and a Details button that shows the policy embed privately to whoever presses it.
-- The question cooldown stays ask_cooldown_s (0001), now a setting moderators change.
ALTER TABLE guild_settings ADD COLUMN reply_style TEXT NOT NULL DEFAULT 'full';
