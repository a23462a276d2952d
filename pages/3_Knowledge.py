"""Knowledge: search the FAUST/JUCE documentation index and keep it up to date."""

import streamlit as st

from workbench.ui.knowledge_view import get_knowledge_base, render_knowledge_page

st.set_page_config(page_title="Knowledge · FAUST/JUCE workbench", layout="wide")
render_knowledge_page(get_knowledge_base())
