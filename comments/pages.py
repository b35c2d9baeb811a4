"""Merged into comments.sections. Kept only while fansite.page_cache (not ours to edit) imports
clean_sort from here: once it imports from comments.sections, delete this module."""

from comments.sections import clean_sort

__all__ = ["clean_sort"]
