"""Follow: pilot effects, KPIs against targets, the projected trajectory and schedules' cron,
in pure Python."""
