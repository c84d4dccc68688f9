"""Page script run by st.navigation; the page itself is ui.pages.rules."""

from ui.pages.rules import render

render()
