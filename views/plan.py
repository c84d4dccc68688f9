"""Page script run by st.navigation; the page itself is ui.pages.plan."""

from ui.pages.plan import render

render()
