"""Page script run by st.navigation; the page itself is ui.pages.data."""

from ui.pages.data import render

render()
