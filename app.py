"""The workbench in the browser (`streamlit run app.py`): the pages and their navigation.

The page files keep the URLs they had as an automatic multipage app (`/Projects`,
`/Run_history`, ...); the chat is the default page, at `/`, titled "Chat".
"""

import streamlit as st

PAGES = [
    st.Page("pages/0_Chat.py", title="Chat", icon=":material/chat:", default=True),
    st.Page("pages/1_Projects.py", icon=":material/folder:"),
    st.Page("pages/2_Run_history.py", icon=":material/history:"),
    st.Page("pages/3_Knowledge.py", icon=":material/menu_book:"),
    st.Page("pages/4_Code_analysis.py", icon=":material/analytics:"),
    st.Page("pages/5_Models.py", icon=":material/dns:"),
]

st.navigation(PAGES).run()
