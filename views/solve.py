"""Page script run by st.navigation; the page itself is ui.pages.solve."""

from ui.pages.solve import render

render()
