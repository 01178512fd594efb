"""The cookie scanner: a site in headless Chromium, held against its cookie declaration.

browser.py  where Chromium is and how it starts and stops
domains.py  first or third party (registrable domains), URLs a crawl follows
driver.py   the three phases in the browser, and the report
matching.py findings and proposals from what the browser saw (pure)
report.py   the report as text for the command line
services.py scans in the database, the background run, adding proposals to a declaration
"""
