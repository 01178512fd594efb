// A third-party ad script; its response sets test_cookie.
window.__ads = true;
