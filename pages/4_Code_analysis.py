"""Code analysis: metrics, patterns and real-time checks of a folder, and the advisor modes."""

import streamlit as st

from workbench.ui.analysis_view import render_code_analysis_page
from workbench.ui.session import get_system

st.set_page_config(page_title="Code analysis · FAUST/JUCE workbench", layout="wide")
render_code_analysis_page(get_system())
