"""The scheduler: APScheduler setup, the schedules' job functions and the leader lock."""
