import { definitionTexts, type DefinitionId, type DEFINITION_MESSAGES } from '../en-definitions.js';

/**
 * What each report figure means, in French (counterpart of en-definitions.ts): the figures are
 * named as the French reports name them.
 */
const FIGURES: Record<DefinitionId, [text: string, formula: string]> = {
  target: [
    'Destinataires sélectionnés par la cible de la diffusion, avant toute exclusion.',
    'Destinataires correspondant à la cible (tous les destinataires, les abonnés d’un service ou les membres d’une liste) et à son filtre.',
  ],
  excluded: [
    'Destinataires écartés par l’analyse : sur liste de blocage, en quarantaine, sans adresse valide, en doublon ou au-delà de la limite de la diffusion.',
    'Cible − À livrer. Le taux est Exclus ÷ Cible.',
  ],
  to_deliver: ['Messages que la diffusion doit envoyer une fois les exclusions faites.', 'Cible − Exclus.'],
  processed: [
    'Messages traités jusqu’ici par le MTA, quel qu’en soit le résultat. Sur la page d’accueil, « Envoyés » compte ceux-ci.',
    'Envoyés + En échec. Le taux est Traités ÷ À livrer.',
  ],
  sent: [
    'Messages acceptés par le serveur de messagerie du destinataire (« Succès » ou « Délivrés » chez Adobe). Un rebond reçu plus tard fait passer son message de Envoyés à En échec.',
    'Messages au statut Envoyé. Le taux est Envoyés ÷ À livrer.',
  ],
  failed: [
    'Messages qui n’ont pas pu être délivrés : refusés par le serveur destinataire, revenus plus tard en rebond, ou toujours en échec à la fin de la validité de la diffusion.',
    'Messages au statut En échec. Le taux est En échec ÷ À livrer.',
  ],
  pending: [
    'Messages qui attendent encore d’être envoyés, ou d’être retentés après un échec temporaire.',
    'À livrer − Traités tant que la diffusion est en cours.',
  ],
  new_quarantines: [
    'Adresses que cette diffusion a mises en quarantaine ou sur liste de blocage (rebonds définitifs, rebonds temporaires répétés, plaintes).',
    'Adresses dont la quarantaine a été déclenchée par cette diffusion.',
  ],
  sms_delivered: [
    'SMS dont l’accusé de réception indique qu’ils ont atteint le téléphone.',
    'Messages dont l’accusé de réception a le statut Delivered. Le taux est Reçus sur mobile ÷ Traités.',
  ],
  sms_undeliverable: [
    'SMS dont l’accusé de réception indique que le numéro ne peut pas les recevoir ; le message est en échec et le numéro est mis en quarantaine pour les SMS.',
    'Messages dont l’accusé de réception a le statut Undeliverable. Le taux est Non distribuables ÷ Traités.',
  ],
  sms_expired: [
    'SMS que l’opérateur n’a pas pu délivrer avant leur expiration (téléphone resté éteint ou hors de portée) ; le message est en échec et compte une erreur pour le numéro.',
    'Messages dont l’accusé de réception a le statut Expired. Le taux est Expirés ÷ Traités.',
  ],
  sms_segments: [
    'Segments utilisés par les SMS : les opérateurs facturent au segment. Un texte plus long qu’un segment (160 caractères GSM-7 ou 70 UCS-2) est découpé en parties de 153 ou 67.',
    'Somme des segments des messages envoyés ou en échec après envoi.',
  ],
  sms_no_receipt: [
    'SMS envoyés dont l’opérateur n’a pas encore renvoyé d’accusé de réception (certains réseaux n’en envoient jamais).',
    'Messages envoyés, ou en échec après envoi, sans statut d’accusé. Le taux est Sans accusé pour l’instant ÷ Traités.',
  ],
  sms_stop_replies: [
    'Numéros atteints par cette diffusion qui ont répondu par un mot STOP : ils sont désabonnés des SMS et mis en liste de blocage pour le canal.',
    'Numéros distincts ayant envoyé une réponse STOP après l’envoi du message de cette diffusion, jusqu’à 7 jours après la fin de la diffusion. Le taux est Réponses STOP ÷ Envoyés.',
  ],
  sms_other_replies: [
    'Numéros atteints par cette diffusion qui ont répondu autre chose qu’un mot STOP : leurs réponses attendent une revue.',
    'Numéros distincts ayant envoyé une autre réponse dans la même fenêtre. Le taux est Autres réponses ÷ Envoyés.',
  ],
  push_expired: [
    'Abonnements de navigateur dont le service push dit qu’ils n’existent plus (404 ou 410) : le message échoue et l’abonnement n’est plus jamais utilisé.',
    'Messages en échec pour le motif Utilisateur inconnu, chacun ayant fait expirer son abonnement. Le taux est Abonnements expirés retirés ÷ À remettre.',
  ],
  routed_delivered: [
    'Courriers ou fax que les fichiers retour du prestataire déclarent distribués.',
    'Messages au statut retour Distribué. Le taux est Distribués par le prestataire ÷ Traités.',
  ],
  routed_returned: [
    'Courriers que les fichiers retour du prestataire déclarent revenus non distribués ; le message est en échec et compte une erreur pour l’adresse.',
    'Messages au statut retour Retourné. Le taux est Retournés ÷ Traités.',
  ],
  routed_bad_address: [
    'Courriers ou fax que le prestataire déclare envoyés à une mauvaise adresse ; le message est en échec et l’adresse est mise en quarantaine pour ce canal.',
    'Messages au statut retour Adresse erronée. Le taux est Adresse erronée ÷ Traités.',
  ],
  routing_cost: [
    'Ce que le prestataire facture pour cette diffusion : un coût par message et un coût par diffusion, fixés par canal dans la configuration.',
    'Messages écrits dans les fichiers d’extraction × coût par message, plus le coût par diffusion, aux tarifs en vigueur lors de l’écriture de chaque fichier.',
  ],
  recipient_opens: [
    'Destinataires qui ont ouvert le message au moins une fois. Un clic compte comme une ouverture : un destinataire qui clique sans charger les images (le pixel d’ouverture ne se charge donc jamais) l’a bien ouvert.',
    'Messages distincts avec une ouverture ou un clic (« Ouvertures » chez Adobe). Le taux est Ouvertures (destinataires) ÷ Envoyés.',
  ],
  estimated_opens: [
    'Ouvertures (destinataires) extrapolées aux destinataires qui ont reçu la version texte, où les ouvertures ne peuvent pas être mesurées.',
    'Ouvertures (destinataires) × À livrer ÷ (À livrer − messages en texte seul).',
  ],
  total_opens: [
    'Chaque ouverture du message, par qui que ce soit : un destinataire qui l’ouvre trois fois compte trois. Les ouvertures d’un même message espacées de moins que le délai de dédoublonnage configuré comptent une fois. C’est pourquoi Ouvertures (toutes) peut être inférieur ou supérieur à Ouvertures (destinataires) : les clics ne comptent comme ouvertures que pour les destinataires.',
    'Appels du pixel d’ouverture, dédoublonnés par message sur tracking.openDedupSeconds.',
  ],
  recipient_clicks: [
    'Destinataires qui ont cliqué sur au moins un lien suivi.',
    'Messages distincts avec un clic. Le taux est Clics (destinataires) ÷ Envoyés.',
  ],
  person_clicks: [
    'Personnes qui ont cliqué, y compris les lecteurs d’un message transféré (un navigateur compte une fois).',
    'Navigateurs distincts ayant cliqué (le cookie de tracking, sinon l’adresse et le navigateur). Le taux est Clics (personnes) ÷ Envoyés.',
  ],
  total_clicks: ['Chaque clic sur un lien suivi, clics répétés compris.', 'Clics enregistrés.'],
  reactivity: ['Part des destinataires ayant ouvert qui ont aussi cliqué.', 'Clics (destinataires) ÷ Ouvertures (destinataires).'],
  forwards: [
    'Personnes qui ont cliqué sans être le destinataire : le message a été transféré.',
    'Clics (personnes) − Clics (destinataires), jamais inférieur à 0.',
  ],
  opt_outs: [
    'Destinataires qui se sont désinscrits par ce message : son lien de désabonnement, le désabonnement en un clic de leur messagerie ou un lien de désinscription.',
    'Désinscriptions enregistrées pour le message. Le taux est Désinscriptions ÷ Envoyés.',
  ],
  mirror_views: ['Nombre de fois où le message a été lu sur sa page miroir (« voir dans le navigateur »).', 'Vues de la page miroir enregistrées.'],
  opens: [
    'Ouvertures dans le temps, chaque ouverture comptée (comme Ouvertures (toutes)).',
    'Appels du pixel d’ouverture par heure (par jour au-delà de quatre jours).',
  ],
  humanOpens: [
    'Ouvertures dans le temps, sans celles des robots connus (analyseurs de liens, passerelles de sécurité de messagerie).',
    'Ouvertures non signalées comme provenant d’un robot.',
  ],
  clicks: ['Clics dans le temps, chaque clic compté (comme Clics (tous)).', 'Clics enregistrés par heure (par jour au-delà de quatre jours).'],
  humanClicks: ['Clics dans le temps, sans ceux des robots connus.', 'Clics non signalés comme provenant d’un robot.'],
  'rate-delivered': [
    'Part des messages envoyés que les serveurs destinataires ont acceptés.',
    'Envoyés ÷ Traités, sur les diffusions lancées pendant la période.',
  ],
  'rate-bounce': ['Part des messages envoyés qui ont échoué (refusés immédiatement ou revenus plus tard en rebond).', 'En échec ÷ Traités.'],
  'rate-open': ['Part des messages délivrés dont le destinataire les a ouverts (un clic compte comme une ouverture).', 'Ouvertures (destinataires) ÷ Envoyés.'],
  'rate-click': ['Part des messages délivrés dont le destinataire a cliqué sur un lien.', 'Clics (destinataires) ÷ Envoyés.'],
  'rate-complaint': [
    'Part des messages délivrés que leur destinataire a signalés comme spam (boucles de rétroaction des fournisseurs de messagerie). Gardez-la sous 0,1 %.',
    'Adresses de la diffusion mises sur liste de blocage à la suite d’une plainte ÷ Envoyés.',
  ],
  'rate-unsubscribe': ['Part des messages délivrés par lesquels leur destinataire s’est désinscrit.', 'Désinscriptions ÷ Envoyés.'],
  messages: [
    'Un nombre de messages : dans le rapport de débit, ceux que le MTA a tenté de transmettre dans l’heure ; dans le rapport des échecs, ceux qui ont échoué pour ce motif.',
    'Débit : transactions SMTP tentées (compteurs du MTA par tranche horaire). Échecs : logs de diffusion en échec par motif.',
  ],
  connections: ['Connexions SMTP ouvertes par le MTA vers les serveurs du domaine.', 'Connexions par domaine et par tranche horaire, comptées par le MTA.'],
  soft_errors: [
    'Messages refusés pour le moment (boîte pleine, serveur occupé ou greylisting) : ils sont retentés jusqu’à la fin de la validité de la diffusion.',
    'Réponses SMTP 4xx et erreurs réseau par tranche horaire.',
  ],
  hard_errors: ['Messages refusés définitivement (adresse inconnue, domaine inexistant).', 'Réponses SMTP 5xx par tranche horaire.'],
  timeouts: ['Connexions ou transactions restées sans réponse dans le délai imparti.', 'Délais dépassés par domaine et par tranche horaire.'],
  refused_connections: [
    'Connexions que les serveurs du domaine ont refusées ou fermées avant qu’un message puisse être transmis.',
    'Connexions refusées par domaine et par tranche horaire.',
  ],
  error_rate: [
    'Part des tentatives vers un domaine qui ont échoué, temporairement ou définitivement. Un taux élevé fait ralentir le MTA pour ce domaine.',
    '(Erreurs temporaires + Erreurs définitives) ÷ Messages.',
  ],
  share: ['La part de la ligne dans le total du tableau.', 'Ligne ÷ total de la colonne × 100.'],
  subscribed: [
    'Abonnements au service ce jour-là (formulaires, API, console, imports).',
    'Événements d’abonnement de l’historique des abonnements, par jour du fuseau horaire du rapport.',
  ],
  confirmed: [
    'Abonnements en double opt-in confirmés par leur lien ce jour-là.',
    'Événements de confirmation de l’historique des abonnements, par jour du fuseau horaire du rapport.',
  ],
  unsubscribed: [
    'Destinataires qui ont quitté le service ce jour-là, par quelque moyen que ce soit (lien, désabonnement en un clic, plainte, console).',
    'Événements de désabonnement de l’historique des abonnements, par jour du fuseau horaire du rapport.',
  ],
  expired: [
    'Abonnements terminés parce que la durée de validité du service est écoulée.',
    'Événements d’expiration de l’historique des abonnements, par jour du fuseau horaire du rapport.',
  ],
  net: ['Évolution du nombre d’abonnés ce jour-là.', 'Abonnements − Désabonnements − Expirations.'],
  rate: [
    'La colonne de taux d’un rapport : le chiffre rapporté à sa base, indiquée pour chaque chiffre ci-dessus.',
    'Chiffre ÷ base × 100, une décimale ; – quand la base vaut 0.',
  ],
};

export const DEFINITIONS: Record<keyof typeof DEFINITION_MESSAGES, string> = {
  'definitions.title': 'Ce que signifient les chiffres',
  'definitions.intro':
    'Chaque chiffre des rapports et de la page d’accueil, en termes simples, avec la façon dont Herald le calcule (les formules d’Adobe Campaign).',
  'definitions.group.messages': 'Messages',
  'definitions.group.tracking': 'Ouvertures et clics',
  'definitions.group.rates': 'Taux',
  'definitions.group.operations': 'Envois et abonnements',
  'definitions.how': 'Mode de calcul :',
  'definitions.link': 'Qu’est-ce que c’est ?',
  'definitions.link_named': 'Que signifie « {name} » ?',
  ...definitionTexts(FIGURES),
};
