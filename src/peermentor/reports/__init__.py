"""Reports: dashboards and the program evaluation report; reads every feature app."""
