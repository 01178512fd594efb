// First-party statistics in the style of Matomo; the page loads it only after analytics consent.
document.cookie = "_pk_id.1.abcd=5f3c2a1b.1700000000; Path=/; Max-Age=33955200; SameSite=Lax";
document.cookie = "_pk_ses.1.abcd=1; Path=/; Max-Age=1800; SameSite=Lax";
