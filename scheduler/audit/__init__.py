"""The independent checker: a finished (or hand-edited) plan judged by the rules' own audits."""

from .plan_audit import AuditReport, audit, unknown_references

__all__ = ["AuditReport", "audit", "unknown_references"]
