"""Run history: the current project's runs, their plans and subtasks, export and import."""

import streamlit as st

from workbench.ui.history_view import render_history_page
from workbench.ui.session import get_system

st.set_page_config(page_title="Run history · FAUST/JUCE workbench", page_icon=":material/history:", layout="wide")
render_history_page(get_system())
