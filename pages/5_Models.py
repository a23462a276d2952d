"""Models: the hosts, their installed models, where each role runs, and each model's speed."""

import streamlit as st

from workbench.ui.models_view import render_models_page
from workbench.ui.session import get_system

st.set_page_config(page_title="Models · FAUST/JUCE workbench", layout="wide")
render_models_page(get_system())
