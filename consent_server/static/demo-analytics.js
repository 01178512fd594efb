// Stands in for a third-party analytics script: it runs only once analytics consent is given.
document.documentElement.dataset.demoAnalytics = "loaded";
