"""Page script run by st.navigation; the page itself is ui.pages.export."""

from ui.pages.export import render

render()
