"""The one facade a Streamlit server shares between its pages and sessions.

`facade_factory` is the seam: the pages never build a backend or open the database
themselves, they ask `get_system()`; tests swap the factory for one that builds the facade on
a scripted backend (and clear the cache with `get_system.clear()`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import streamlit as st

from workbench.system import System

facade_factory: Callable[[], System] = System


@st.cache_resource(show_spinner="Starting the workbench…")
def get_system() -> System:
    """Built once per server process: settings, storage, the active backend. The router is
    loaded beside the first page (a chat decomposes by default), where it took half a second
    of the first question's wait for its plan on 2 busy cores."""
    system = facade_factory()
    threading.Thread(target=lambda: system.hrm, name="load the router", daemon=True).start()
    return system
