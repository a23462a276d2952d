"""The chat page: ask, watch the plan run, read the history; the work is in `workbench.ui`."""

import streamlit as st

from workbench.ui.chat_page import render_chat_page
from workbench.ui.session import get_system

st.set_page_config(page_title="FAUST/JUCE workbench", page_icon=":material/graphic_eq:", layout="wide")
render_chat_page(get_system())
