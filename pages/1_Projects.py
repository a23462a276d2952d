"""Projects: list, open, rename, delete; the work is in `workbench.ui.projects_view`."""

import streamlit as st

from workbench.ui.projects_view import render_projects_page
from workbench.ui.session import get_system

st.set_page_config(page_title="Projects · FAUST/JUCE workbench", page_icon=":material/folder:", layout="wide")
render_projects_page(get_system())
