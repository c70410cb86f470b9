INSERT INTO [content_blocks] ([name],[label],[format],[source],[created_at],[updated_at]) VALUES (N'footer',N'Footer (unsubscribe link and postal address)',N'mjml',N'<mj-section padding="24px 0">
  <mj-column>
    <mj-divider border-width="1px" border-color="#d0d4d9" padding="0 24px 16px"></mj-divider>
    <mj-text align="center" font-size="12px" line-height="18px" color="#5f6368" padding="0 24px">You receive this email because you subscribed with <%= recipient.email %>.<br><a href="<%= links.unsubscribe %>" style="color:#1f3a5f">Unsubscribe</a> · <a href="<%= links.preferences %>" style="color:#1f3a5f">Manage your preferences</a></mj-text>
    <mj-text align="center" font-size="12px" line-height="18px" color="#5f6368" padding="8px 24px 0">Example Company · 1 Example Street · 00000 Example City · Country</mj-text>
  </mj-column>
</mj-section>
','2026-12-07 00:00:00.000 +00:00','2026-12-07 00:00:00.000 +00:00'),(N'header',N'Header (logo line and "view in your browser")',N'mjml',N'<mj-section padding="12px 0 0">
  <mj-column>
    <mj-text align="right" font-size="12px" color="#5f6368" padding="4px 24px"><a href="<%= links.mirror %>" style="color:#5f6368">View this email in your browser</a></mj-text>
  </mj-column>
</mj-section>
<mj-section background-color="#1f3a5f" padding="20px 0">
  <mj-column>
    <mj-text align="center" font-size="24px" font-weight="700" color="#ffffff" padding="0 24px">Example Company</mj-text>
  </mj-column>
</mj-section>
','2026-12-07 00:00:00.000 +00:00','2026-12-07 00:00:00.000 +00:00'),(N'social',N'Social links',N'mjml',N'<mj-section padding="8px 0">
  <mj-column>
    <mj-text align="center" font-size="14px" color="#1f3a5f" padding="0 24px"><a href="https://www.example.com/social/facebook" style="color:#1f3a5f">Facebook</a> · <a href="https://www.example.com/social/instagram" style="color:#1f3a5f">Instagram</a> · <a href="https://www.example.com/social/linkedin" style="color:#1f3a5f">LinkedIn</a> · <a href="https://www.example.com/social/youtube" style="color:#1f3a5f">YouTube</a></mj-text>
  </mj-column>
</mj-section>
','2026-12-07 00:00:00.000 +00:00','2026-12-07 00:00:00.000 +00:00');
