"""SCORM 1.2 and 2004 packages as lessons: checking and storing an uploaded zip (`package`),
the signed addresses its files are served from (`access`), the content-origin views
(`views`) and what a learner's CMI data says about completion (`cmi`)."""
