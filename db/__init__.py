"""GigGuard's storage: SQLite through aiosqlite. All SQL lives in this package."""

from db.database import Database, DatabaseError, discover_migrations
from db.guild_departures import DEPARTURE_GRACE_DAYS, GuildDepartureRepository
from db.guild_settings import (
    MAX_DELETE_REPLIES_AFTER_MIN,
    MAX_TIMEOUT_MINUTES,
    REPLY_MODES,
    GuildSettings,
    GuildSettingsRepository,
)
from db.privacy import ForgetResult, PrivacyRepository
from db.reply_deletions import PendingDeletion, ReplyDeletionRepository
from db.review_items import DECISIONS, ReviewItem, ReviewItemRepository
from db.stats import STAT_KINDS, StatRow, StatsRepository, week_start
from db.warnings import EXPORT_COLUMNS, WARNING_STATUSES, WarningRecord, WarningRepository, now_ts

__all__ = [
    "DECISIONS",
    "DEPARTURE_GRACE_DAYS",
    "EXPORT_COLUMNS",
    "MAX_DELETE_REPLIES_AFTER_MIN",
    "MAX_TIMEOUT_MINUTES",
    "REPLY_MODES",
    "STAT_KINDS",
    "WARNING_STATUSES",
    "Database",
    "DatabaseError",
    "ForgetResult",
    "GuildDepartureRepository",
    "GuildSettings",
    "GuildSettingsRepository",
    "PendingDeletion",
    "PrivacyRepository",
    "ReplyDeletionRepository",
    "ReviewItem",
    "ReviewItemRepository",
    "StatRow",
    "StatsRepository",
    "WarningRecord",
    "WarningRepository",
    "discover_migrations",
    "now_ts",
    "week_start",
]
