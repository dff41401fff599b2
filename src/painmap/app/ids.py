"""Component ids, in one place: layout, callbacks and browser tests all use these."""

PAGE = "page"
URL = "url"
VIEWPORT = "viewport"
GRAPH = "graph"
#: The static scene, drawn once per page under GRAPH (which shows the route layer).
SCENE_GRAPH = "graph-scene"
#: The route's still drawing, between the scene and GRAPH: what no step of the animation moves
#: (GRAPH holds only what a step moves, with the frames and the step slider). The page draws it
#: as plain SVG (assets/still.js) from the figure in STILL_FIGURE, a store.
STILL_GRAPH = "graph-still"
STILL_FIGURE = "graph-still-figure"
#: What the page shows now (query, figure size, scene): the server answers with only what changes.
SHOWN = "shown"

ORGAN = "organ-picker"
PART = "part-picker"
ROUTE = "route-picker"
ZONE = "zone-picker"
SEGMENT = "segment-picker"
COMPARE = "compare-picker"
LAYERS = "layers"
ANATOMY = "anatomy-view"
SEX = "sex-picker"
#: The side of a paired organ (kidney, ovary, testis), and the group that holds it (hidden for others).
SIDE = "side-picker"
SIDE_GROUP = "side-group"
LANG = "lang-picker"

PLAYER = "player"
STEP_BACK = "step-back"
STEP_FORWARD = "step-forward"
STEP_PLAY = "step-play"
STEP_PAUSE = "step-pause"
#: The step slider under the picture, drawn by the page (assets/painmap.js, drawSlider).
STEP_SLIDER = "step-slider"
SPEED = "speed"
STEP_CAPTION = "step-caption"
STEP_STORE = "step-store"

SUMMARY = "selection-summary"
#: Why a route's pain is felt where it is: every mechanism of the dataset, those that explain it shown.
MECHANISMS = "mechanism-list"
DISPUTE = "dispute-box"
STEPS = "steps-list"
STEPS_PANEL = "steps-panel"
SOURCES = "sources-panel"
RED_FLAGS = "red-flag-list"
SHARE_LINK = "share-link"
EMBED_CODE = "embed-code"
CONTROLS = "controls"

SKIP_LINK = "skip-link"
MAIN = "main"
FIGURE_AREA = "figure-area"
FIGURE_BOX = "figure-box"
FIGURE_DESCRIPTION = "figure-description"
SPEED_LABEL = "speed-label"

#: A story told over the animation (?story=ID): its panel, and the "What are you explaining?" search.
STORY_PANEL = "story-panel"
STORY_SEARCH = "story-search"
STORY_RESULTS = "story-results"

#: Quiz mode (?mode=quiz): its panel, and the score kept for the browser tab's session.
QUIZ_PANEL = "quiz-panel"
QUIZ_SCORE = "quiz-score"
#: The header's "Test yourself" link into quiz mode.
QUIZ_LINK = "quiz-link"
#: The quiz's pattern-matching ids: {"type": QUIZ_CHOICE, "index": i} for question i's choices,
#: its Check button, its feedback; the score line, "Start again", and what quiz the panel shows.
QUIZ_CHOICE = "quiz-choice"
QUIZ_CHECK = "quiz-check"
QUIZ_FEEDBACK = "quiz-feedback"
QUIZ_SCORE_LINE = "quiz-score-line"
QUIZ_RESTART = "quiz-restart"
QUIZ_ABOUT = "quiz-about"

#: Patient mode (?mode=patient): the side column (plain words, choices, body map, more) and the
#: "See a doctor now if..." box that stays in view.
PATIENT_SIDE = "patient-side"
PATIENT_PANEL = "patient-panel"
PATIENT_MORE = "patient-more"
PATIENT_FLAGS = "patient-flags"
BODY_MAP = "body-map"
#: "How to cite this figure", in the share panel.
CITE = "cite"
