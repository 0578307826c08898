"""Frame: the texts of grids in several languages, targets, the playbook's rules and ratings
from questions, in pure Python."""
